//! `[[id]]` and `[[id|label]]` cross-links in a body's Markdown.
//!
//! Found once at parse time, so validation (does the id exist?), the graph (mentions,
//! back-links) and rendering all agree on the same list. Links inside code spans and code
//! blocks are text, not links, as a reader of the Markdown would expect.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One `[[…]]` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiLink {
    /// The whole `[[…]]`, relative to the Markdown text.
    pub span: Range<usize>,
    /// The id inside, relative to the Markdown text.
    pub target_span: Range<usize>,
    pub target: String,
    pub label: Option<String>,
}

/// The Markdown extensions mandat enables everywhere, so that every stage parses alike.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Finds the `[[…]]` links of `markdown`, in order.
pub fn wiki_links(markdown: &str) -> Vec<WikiLink> {
    if !markdown.contains("[[") {
        return Vec::new();
    }
    let code = code_ranges(markdown);
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(open) = markdown[from..].find("[[").map(|i| i + from) {
        let inner_start = open + 2;
        let Some(close) = markdown[inner_start..].find("]]").map(|i| i + inner_start) else {
            break;
        };
        let inner = &markdown[inner_start..close];
        if inner.contains('\n') || inner.contains("[[") || code.iter().any(|r| r.contains(&open)) {
            from = inner_start;
            continue;
        }
        let (target, label) = match inner.split_once('|') {
            Some((t, l)) => (t, Some(l.trim().to_owned())),
            None => (inner, None),
        };
        let lead = target.len() - target.trim_start().len();
        let target_span = inner_start + lead..inner_start + lead + target.trim().len();
        links.push(WikiLink {
            span: open..close + 2,
            target_span,
            target: target.trim().to_owned(),
            label: label.filter(|l| !l.is_empty()),
        });
        from = close + 2;
    }
    links
}

/// Byte ranges of inline code and code blocks.
fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_with_and_without_labels() {
        let md = "See [[kl]] and [[ region-syddanmark | the region ]].";
        let links = wiki_links(md);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].target, "kl");
        assert_eq!(&md[links[0].span.clone()], "[[kl]]");
        assert_eq!(links[1].target, "region-syddanmark");
        assert_eq!(&md[links[1].target_span.clone()], "region-syddanmark");
        assert_eq!(links[1].label.as_deref(), Some("the region"));
    }

    #[test]
    fn ignores_code() {
        let md = "`[[a]]` text\n\n```\n[[b]]\n```\n\n    [[c]]\n\n[[d]]\n";
        let targets: Vec<_> = wiki_links(md).into_iter().map(|l| l.target).collect();
        assert_eq!(targets, ["d"]);
    }

    #[test]
    fn unclosed_or_multiline_brackets_are_text() {
        assert!(wiki_links("[[a\nb]] and [[unclosed").is_empty());
        assert_eq!(wiki_links("[[x [[y]]")[0].target, "y");
    }
}
