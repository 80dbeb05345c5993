//! A body's Markdown to HTML: `[[id]]` links and auto-linked mentions resolved, heading
//! anchors added, raw HTML sanitized.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::id::slugify;
use crate::links::markdown_options;
use crate::mentions::Mention;
use crate::model::Text;

/// Where a link to an entity goes, and what it is called.
pub struct Target {
    pub href: String,
    pub title: String,
}

pub struct MarkdownRenderer<'c> {
    sanitizer: Option<ammonia::Builder<'static>>,
    cache: Option<&'c MarkdownCache>,
}

/// Rendered Markdown kept between builds of `mandat serve`: after a one-file edit only
/// the texts that changed (or whose links changed) are parsed and sanitized again.
#[derive(Default)]
pub struct MarkdownCache {
    html: Mutex<HashMap<u64, Arc<str>>>,
}

impl MarkdownCache {
    /// Entries kept at most; beyond, the cache starts over.
    const LIMIT: usize = 50_000;

    fn get(&self, key: u64) -> Option<Arc<str>> {
        self.html.lock().ok()?.get(&key).cloned()
    }

    fn put(&self, key: u64, html: Arc<str>) {
        if let Ok(mut map) = self.html.lock() {
            if map.len() >= Self::LIMIT {
                map.clear();
            }
            map.insert(key, html);
        }
    }
}

impl<'c> MarkdownRenderer<'c> {
    pub fn new(allow_raw_html: bool, cache: Option<&'c MarkdownCache>) -> Self {
        let sanitizer = (!allow_raw_html).then(|| {
            let mut b = ammonia::Builder::default();
            // Heading anchors and footnotes need ids and classes; links are our own or the
            // author's, so no rel is forced on them.
            b.add_generic_attributes(["id", "class"]).link_rel(None);
            b
        });
        MarkdownRenderer { sanitizer, cache }
    }

    /// Renders `text`. `resolve` turns an id into a link target; `reserved` are ids the
    /// page already uses, which heading anchors must not repeat.
    pub fn render(
        &self,
        text: &Text,
        mentions: &[Mention],
        resolve: impl Fn(&str) -> Option<Target>,
        reserved: &[&str],
        id_prefix: &str,
        top_heading: HeadingLevel,
    ) -> String {
        let md = with_links(text, mentions, &resolve);
        // Most people's files have no text: the parser's set-up would be most of the page.
        if md.trim().is_empty() {
            return String::new();
        }
        // The rewritten Markdown holds every resolved link, so it is a complete key.
        let key = self.cache.map(|_| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&md, reserved, id_prefix, top_heading as u8, self.sanitizer.is_some()).hash(&mut h);
            h.finish()
        });
        if let (Some(cache), Some(key)) = (self.cache, key)
            && let Some(html) = cache.get(key)
        {
            return html.to_string();
        }
        let events: Vec<Event> = Parser::new_ext(&md, markdown_options()).collect();
        let events = with_heading_anchors(events, reserved, id_prefix, top_heading);
        let sanitizer = self.sanitizer.as_ref().filter(|_| !events.iter().all(passes_sanitizer));
        let mut html = String::with_capacity(md.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let html = match sanitizer {
            Some(s) => s.clean(&html).to_string(),
            None => html,
        };
        if let (Some(cache), Some(key)) = (self.cache, key) {
            cache.put(key, Arc::from(html.as_str()));
        }
        html
    }
}

/// Whether pulldown-cmark writes `event` as HTML the sanitizer would keep whole, so that
/// a text made only of such events need not be parsed and written again by ammonia (most
/// of a page's Markdown time). pulldown-cmark escapes text and attribute values itself;
/// what ammonia would change is raw HTML, the attributes it does not allow (alignment
/// styles, heading attributes) and links it does not trust. Unknown kinds go to ammonia.
fn passes_sanitizer(event: &Event) -> bool {
    match event {
        Event::Start(tag) => match tag {
            Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough => true,
            Tag::Heading { attrs, .. } => attrs.is_empty(),
            Tag::Table(alignments) => alignments.iter().all(|a| *a == pulldown_cmark::Alignment::None),
            Tag::Link { link_type: pulldown_cmark::LinkType::Email, .. } => false,
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => trusted_url(dest_url),
            _ => false,
        },
        Event::End(_)
        | Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::Rule
        | Event::FootnoteReference(_) => true,
        _ => false,
    }
}

/// Whether ammonia keeps `url` as an `href` or `src`: relative, or with a scheme it
/// allows — decided by the same parser. Only URLs pulldown-cmark writes as they are (no
/// `&`, quote or other byte it escapes) qualify, so the parser sees what ammonia would.
fn trusted_url(url: &str) -> bool {
    const TRUSTED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];
    let written_as_is = url.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%()*+,-./:;=?@_~".contains(&b));
    written_as_is
        && match url::Url::parse(url) {
            Ok(parsed) => TRUSTED_SCHEMES.contains(&parsed.scheme()),
            Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
        }
}

/// Rewrites `[[id|label]]` and auto-mentions as ordinary Markdown links.
fn with_links(text: &Text, mentions: &[Mention], resolve: &impl Fn(&str) -> Option<Target>) -> String {
    let md = text.markdown();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for link in &text.links {
        if let Some(t) = resolve(&link.target) {
            let label = link.label.as_deref().unwrap_or(&t.title);
            edits.push((link.span.clone(), format!("[{}](<{}>)", escape(label), t.href)));
        }
    }
    for m in mentions {
        let words = &md[m.span.clone()];
        if words.contains(['[', ']']) {
            continue;
        }
        if let Some(t) = resolve(&m.target) {
            edits.push((m.span.clone(), format!("[{words}](<{}>)", t.href)));
        }
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(md.len() + edits.len() * 40);
    let mut at = 0;
    for (span, replacement) in edits {
        if span.start < at {
            continue;
        }
        out.push_str(&md[at..span.start]);
        out.push_str(&replacement);
        at = span.end;
    }
    out.push_str(&md[at..]);
    out
}

/// Backslash-escapes Markdown punctuation so a title is shown as written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Gives every heading an id from its text (unique on the page), and moves headings down
/// so the text's highest one is `top`: on a body page the text's sections sit beside the
/// page's own (`<h2>`), in the printed overview under each body's `<h2>` title (`<h3>`).
fn with_heading_anchors<'a>(
    events: Vec<Event<'a>>,
    reserved: &[&str],
    prefix: &str,
    top: HeadingLevel,
) -> Vec<Event<'a>> {
    let highest = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(top as usize);
    let shift = (top as usize).saturating_sub(highest);
    let lower = |level: HeadingLevel| {
        HeadingLevel::try_from((level as usize + shift).min(6)).unwrap_or(HeadingLevel::H6)
    };
    let mut used: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, classes, attrs }) = &events[i] else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        let end = events[i..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| i + p);
        let words: String = events[i + 1..end]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = id.as_ref().map(|s| s.to_string()).unwrap_or_else(|| slugify(&words));
        let id = unique(format!("{prefix}{}", if id.is_empty() { "section" } else { &id }), &mut used);
        let level = lower(*level);
        out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        out.extend(events[i + 1..end].iter().cloned());
        out.push(Event::End(TagEnd::Heading(level)));
        i = end + 1;
    }
    out
}

fn unique(id: String, used: &mut HashSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(md: &str) -> Text {
        Text::new(md)
    }

    fn resolve(id: &str) -> Option<Target> {
        (id != "missing")
            .then(|| Target { href: format!("../{id}/index.html"), title: format!("Title [{id}]") })
    }

    #[test]
    fn wiki_links_become_links_with_titles_or_labels() {
        let html = MarkdownRenderer::new(false, None).render(
            &text("See [[a]] and [[b|the *b*]]."),
            &[],
            resolve,
            &[],
            "",
            HeadingLevel::H2,
        );
        assert_eq!(
            html,
            "<p>See <a href=\"../a/index.html\">Title [a]</a> and <a href=\"../b/index.html\">the *b*</a>.</p>\n"
        );
    }

    #[test]
    fn a_blank_text_is_no_html() {
        for raw_html in [false, true] {
            for md in ["", "\n", " \n\t\n  "] {
                let html = MarkdownRenderer::new(raw_html, None).render(
                    &text(md),
                    &[],
                    resolve,
                    &[],
                    "",
                    HeadingLevel::H2,
                );
                assert_eq!(html, "", "{md:?}");
            }
        }
    }

    #[test]
    fn mentions_become_links() {
        let md = "The Board meets.";
        let mention = Mention { span: 4..9, target: "board".into() };
        let html = MarkdownRenderer::new(false, None).render(
            &text(md),
            &[mention],
            resolve,
            &[],
            "",
            HeadingLevel::H2,
        );
        assert_eq!(html, "<p>The <a href=\"../board/index.html\">Board</a> meets.</p>\n");
    }

    #[test]
    fn headings_get_unique_anchors_and_move_below_the_page_title() {
        let md = "# Møder\n\n## Møder\n\n# Tasks\n";
        let html = MarkdownRenderer::new(false, None).render(
            &text(md),
            &[],
            resolve,
            &["tasks"],
            "",
            HeadingLevel::H2,
        );
        assert_eq!(
            html,
            "<h2 id=\"moeder\">Møder</h2>\n<h3 id=\"moeder-2\">Møder</h3>\n<h2 id=\"tasks-2\">Tasks</h2>\n"
        );
    }

    #[test]
    fn headings_move_below_the_level_they_are_given() {
        let md = "## Baggrund\n\n### Detaljer\n";
        let html =
            MarkdownRenderer::new(false, None).render(&text(md), &[], resolve, &[], "p-", HeadingLevel::H3);
        assert_eq!(html, "<h3 id=\"p-baggrund\">Baggrund</h3>\n<h4 id=\"p-detaljer\">Detaljer</h4>\n");
    }

    #[test]
    fn raw_html_is_sanitized_unless_allowed() {
        let md = "Hi <script>alert(1)</script><b onclick=\"x()\">there</b> [x](javascript:alert(1))\n";
        let clean =
            MarkdownRenderer::new(false, None).render(&text(md), &[], resolve, &[], "", HeadingLevel::H2);
        assert!(
            !clean.contains("<script") && !clean.contains("onclick") && !clean.contains("javascript:"),
            "{clean}"
        );
        assert!(clean.contains("<b>there</b>"), "{clean}");
        let raw =
            MarkdownRenderer::new(true, None).render(&text(md), &[], resolve, &[], "", HeadingLevel::H2);
        assert!(raw.contains("<script>"));
    }

    #[test]
    fn cached_renders_are_the_same_and_follow_link_changes() {
        let cache = MarkdownCache::default();
        let renderer = MarkdownRenderer::new(false, Some(&cache));
        let t = text("See [[a]].");
        let first = renderer.render(&t, &[], resolve, &[], "", HeadingLevel::H2);
        assert_eq!(renderer.render(&t, &[], resolve, &[], "", HeadingLevel::H2), first);
        let renamed =
            |id: &str| Some(Target { href: format!("../{id}/index.html"), title: "Renamed".into() });
        assert!(renderer.render(&t, &[], renamed, &[], "", HeadingLevel::H2).contains(">Renamed</a>"));
        assert_eq!(cache.html.lock().unwrap().len(), 2);
    }

    #[test]
    fn tables_and_footnotes_render() {
        let md = "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.\n";
        let html =
            MarkdownRenderer::new(false, None).render(&text(md), &[], resolve, &[], "", HeadingLevel::H2);
        assert!(html.contains("<table>") && html.contains("<td>2</td>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn links_ammonia_would_drop_are_dropped_without_raw_html_too() {
        let md = "[a](javascript:alert(1)) [b](JavaScript:x) [c](data:text/html,x) [d](http://[::1) \
                  ![e](vbscript:x)\n\n## Title {onclick=x}\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n";
        let html =
            MarkdownRenderer::new(false, None).render(&text(md), &[], resolve, &[], "", HeadingLevel::H2);
        for dropped in ["javascript", "JavaScript", "data:", "[::1", "vbscript", "onclick", "style="] {
            assert!(!html.contains(dropped), "{dropped} in {html}");
        }
        assert!(html.contains("<a>a</a>") && html.contains("<th>a</th>"), "{html}");
    }

    #[test]
    fn plain_markdown_is_written_by_pulldown_cmark_alone() {
        // ammonia writes a rule as `<hr>`, pulldown-cmark as `<hr />`.
        let md = "[site](https://example.org/a?b=1) and [[a]].\n\n---\n";
        let html =
            MarkdownRenderer::new(false, None).render(&text(md), &[], resolve, &[], "", HeadingLevel::H2);
        assert!(html.starts_with("<p><a href=\"https://example.org/a?b=1\">site</a>"), "{html}");
        assert!(html.ends_with("<hr />\n"), "{html}");
    }

    #[test]
    fn only_urls_ammonia_keeps_as_written_are_trusted() {
        for url in ["../a/index.html#x", "?q=1", "https://example.org/a?b=1", "HTTP://x.dk", "mailto:a@b.dk"]
        {
            assert!(trusted_url(url), "{url}");
        }
        for url in [
            "javascript:x",
            "JavaScript:x",
            "data:text/html,x",
            "ftp://x",
            "http://[::1",
            "http://1.2.3.256",
            "http://",
            "a?b=1&c=2",
            "æ",
        ] {
            assert!(!trusted_url(url), "{url}");
        }
    }

    /// The HTML pulldown-cmark writes for `md`, and whether it skips the sanitizer.
    fn unsanitized(md: &str) -> (String, bool) {
        let events: Vec<Event> = Parser::new_ext(md, markdown_options()).collect();
        let skips = events.iter().all(passes_sanitizer);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (html, skips)
    }

    fn markdown_piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "plain words",
            "\"quoted\" & 'single' < > &amp; &#x27;",
            "<b onclick=\"x()\">hi</b>",
            "<script>alert(1)</script>",
            "<!-- comment -->",
            "[a](javascript:alert(1))",
            "[a](JavaScript:alert(1))",
            "[a](<java\tscript:x>)",
            "[a](http://example.org/x?y=1&z=2)",
            "[a](https://example.org/a'b)",
            "[a](<http://exa mple.org>)",
            "[a](http://[::1)",
            "[a](mailto:a@b.dk)",
            "[a](tel:+4512345678)",
            "[a](ftp://example.org)",
            "[a](vbscript:x)",
            "[a](../x/index.html#part \"title\")",
            "[a](?x=1)",
            "[a](//example.org)",
            "[a](http://ex%41mple.org/%zz)",
            "<a@b.dk>",
            "<http://example.org>",
            "![i](data:image/png;base64,xx)",
            "![i](../img.png \"t\")",
            "# Heading {#id .cls onclick=x}",
            "## Heading {.cls}",
            "| a | b |\n|:-|-:|\n| 1 | 2 |",
            "| a |\n|---|\n| 1 |",
            "1. one\n2. two",
            "3. three",
            "> quote",
            "```rust\ncode <b>\n```",
            "x[^n]\n\n[^n]: note",
            "~~gone~~ *em* **strong** `code`",
            "---",
            "line  \nbreak",
        ])
    }

    proptest::proptest! {
        // Failing cases are kept under tests/, the top level holding only what it does.
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(
                "tests/proptest-regressions/markdown.txt",
            ))),
            ..proptest::test_runner::Config::default()
        })]

        /// What skips ammonia is exactly what ammonia would have kept: the site's
        /// sanitizer and one that allows every tag, attribute and scheme the pieces use
        /// write the same.
        #[test]
        fn markdown_that_skips_the_sanitizer_is_what_it_would_keep(
            pieces in proptest::collection::vec(markdown_piece(), 1..6),
            separator in proptest::sample::select(vec![" ", "\n", "\n\n"]),
        ) {
            let md = pieces.join(separator);
            let (html, skips) = unsanitized(&md);
            if skips {
                let site = MarkdownRenderer::new(false, None).sanitizer.unwrap();
                let mut everything = ammonia::Builder::empty();
                everything
                    .add_tags(["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "ol",
                        "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "em", "strong", "del", "a",
                        "img", "hr", "br", "sup", "div"])
                    .add_generic_attributes(["id", "class", "style", "title", "href", "src", "alt", "start",
                        "onclick"])
                    .add_url_schemes(["http", "https", "mailto", "tel", "ftp", "javascript", "vbscript",
                        "data"])
                    .link_rel(None);
                proptest::prop_assert_eq!(site.clean(&html).to_string(), everything.clean(&html).to_string());
            }
        }
    }
}
