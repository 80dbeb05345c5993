//! Finds where a text names another body or organisation by its title or an alias, so the
//! first such mention can become a link and count as a back-link.
//!
//! One Aho–Corasick automaton over every name serves all texts, so the cost is linear in
//! the size of the content however many names there are. Mentions are never found inside
//! headings, links (Markdown or `[[…]]`), images, code or raw HTML, and only whole words
//! match: "KL" does not match inside "KLAR".

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::links::markdown_options;
use crate::model::{Content, Text};

/// A name of another entity in a text, to be linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Relative to the Markdown text.
    pub span: Range<usize>,
    pub target: String,
}

/// Auto-mentions of each entity's text, indexed like `Content::bodies` / `organisations`.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    pub bodies: Vec<Vec<Mention>>,
    pub organisations: Vec<Vec<Mention>>,
}

impl Mentions {
    /// No auto-links at all (the `auto_link = false` setting).
    pub fn none(content: &Content) -> Self {
        Mentions {
            bodies: vec![Vec::new(); content.bodies.len()],
            organisations: vec![Vec::new(); content.organisations.len()],
        }
    }
}

/// Finds the first mention of each other entity in every text.
pub fn find(content: &Content) -> Mentions {
    match Names::new(content) {
        Some(names) => names.find(content),
        None => Mentions::none(content),
    }
}

/// Every name of every entity, ready to be found in texts: made once for all texts, and
/// kept by `serve` while no name changes.
pub struct Names {
    automaton: AhoCorasick,
    /// The id each pattern names.
    targets: Vec<String>,
}

impl Names {
    /// Finds the first mention of each other entity in every text.
    pub fn find(&self, content: &Content) -> Mentions {
        let names = self;
        Mentions {
            bodies: content.bodies.par_iter().map(|b| names.first_mentions(&b.id, &b.text)).collect(),
            organisations: content
                .organisations
                .par_iter()
                .map(|o| names.first_mentions(&o.id, &o.text))
                .collect(),
        }
    }
}

/// Names longer than this (in characters) are not auto-linked.
pub const MAX_LINKED_NAME: usize = 200;

impl Names {
    /// `None` when no entity has a name that could be linked.
    pub fn new(content: &Content) -> Option<Names> {
        // A name used by two entities cannot be linked without guessing: leave it out.
        let mut owners: HashMap<&str, HashSet<&str>> = HashMap::new();
        for entity in content.entities() {
            let id = entity.id;
            for name in entity.names() {
                let name = name.get_ref().trim();
                // Real names are short; a long one is not worth linking, and would make
                // building the automaton take time quadratic in its length.
                if (2..=MAX_LINKED_NAME).contains(&name.chars().count()) {
                    owners.entry(name).or_default().insert(id);
                }
            }
        }
        let mut unique: Vec<(&str, &str)> = owners
            .into_iter()
            .filter(|(_, ids)| ids.len() == 1)
            .map(|(name, ids)| (name, *ids.iter().next().expect("one owner")))
            .collect();
        unique.sort_unstable();
        if unique.is_empty() {
            return None;
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(unique.iter().map(|(name, _)| name))
            .ok()?;
        Some(Names { automaton, targets: unique.iter().map(|(_, id)| id.to_string()).collect() })
    }

    /// The first mention of each other entity in the text of `own_id`.
    pub fn first_mentions(&self, own_id: &str, text: &Text) -> Vec<Mention> {
        let md = text.markdown();
        let mut linked: HashSet<&str> = text.links.iter().map(|l| l.target.as_str()).collect();
        linked.insert(own_id);
        let mut found = Vec::new();
        for range in linkable_ranges(md, text) {
            for m in self.automaton.find_iter(&md[range.clone()]) {
                let span = range.start + m.start()..range.start + m.end();
                let target = self.targets[m.pattern().as_usize()].as_str();
                if is_whole_word(md, &span) && linked.insert(target) {
                    found.push(Mention { span, target: target.to_owned() });
                }
            }
        }
        found
    }
}

fn is_whole_word(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Source ranges of plain text that may get links: outside headings, links, images, code,
/// HTML and `[[…]]` links.
fn linkable_ranges(md: &str, text: &Text) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut excluded_depth = 0usize;
    for (event, range) in Parser::new_ext(md, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                excluded_depth += 1
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                excluded_depth = excluded_depth.saturating_sub(1)
            }
            Event::Text(_) if excluded_depth == 0 => ranges.push(range),
            _ => {}
        }
    }
    // `[[…]]` links are plain text to pulldown-cmark; cut them out.
    let mut out = Vec::with_capacity(ranges.len());
    for range in ranges {
        let mut start = range.start;
        for link in text.links.iter().filter(|l| l.span.start < range.end && l.span.end > range.start) {
            if link.span.start > start {
                out.push(start..link.span.start);
            }
            start = start.max(link.span.end);
        }
        if start < range.end {
            out.push(start..range.end);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, BodyMeta};

    fn body(id: &str, title: &str, aliases: &[&str], markdown: &str) -> Body {
        let toml = format!(
            "title = {title:?}\naliases = [{}]",
            aliases.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(", ")
        );
        let meta: BodyMeta = toml::from_str(&toml).unwrap();
        Body {
            id: id.into(),
            path: format!("content/bodies/{id}.md"),
            file: 0,
            meta,
            text: Text::new(markdown),
        }
    }

    fn targets(found: &[Mention], md: &str) -> Vec<(String, String)> {
        found.iter().map(|m| (md[m.span.clone()].to_owned(), m.target.clone())).collect()
    }

    #[test]
    fn links_first_mentions_of_titles_and_aliases_only() {
        let md = "# Det Administrative Kontaktforum\n\nDet Administrative Kontaktforum og DAK mødes. \
                  Det Administrative Kontaktforum igen. `Koordinationsgruppen` i kode, [Koordinationsgruppen](x) \
                  i et link, men KG her. Koordinationsgruppens ord er ikke et helt ord.\n";
        let content = Content {
            bodies: vec![
                body("a", "Det Administrative Kontaktforum", &["DAK"], ""),
                body("kg", "Koordinationsgruppen", &["KG"], ""),
                body("self", "Selv", &[], md),
            ],
            organisations: vec![],
            ..Default::default()
        };
        let found = find(&content);
        assert_eq!(
            targets(&found.bodies[2], md),
            [("Det Administrative Kontaktforum".into(), "a".into()), ("KG".into(), "kg".into())]
        );
        assert!(found.bodies[0].is_empty());
    }

    #[test]
    fn explicit_links_win_and_own_name_is_not_linked() {
        let md = "Se [[a|forummet]]. Det Administrative Kontaktforum. Selv.";
        let content = Content {
            bodies: vec![
                body("a", "Det Administrative Kontaktforum", &[], ""),
                body("self", "Selv", &[], md),
            ],
            organisations: vec![],
            ..Default::default()
        };
        assert!(find(&content).bodies[1].is_empty());
    }

    #[test]
    fn ambiguous_names_are_not_linked() {
        let md = "Udvalget mødes.";
        let content = Content {
            bodies: vec![
                body("a", "Udvalget", &[], ""),
                body("b", "B", &["Udvalget"], ""),
                body("c", "C", &[], md),
            ],
            organisations: vec![],
            ..Default::default()
        };
        assert!(find(&content).bodies[2].is_empty());
    }

    #[test]
    fn longest_name_wins() {
        let md = "KL's Sundhedsstrategiske Gruppe og KL.";
        let content = Content {
            bodies: vec![body("ssg", "KL's Sundhedsstrategiske Gruppe", &[], ""), body("x", "X", &[], md)],
            organisations: vec![],
            ..Default::default()
        };
        let mut content = content;
        content.organisations.push(crate::model::Organisation {
            id: "kl".into(),
            path: "content/organisations/kl.md".into(),
            file: 0,
            meta: toml::from_str("title = \"KL\"").unwrap(),
            text: Text::default(),
        });
        let found = find(&content);
        assert_eq!(
            targets(&found.bodies[1], md),
            [("KL's Sundhedsstrategiske Gruppe".into(), "ssg".into()), ("KL".into(), "kl".into())]
        );
    }
}
