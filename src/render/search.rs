//! The search index: every body and organisation with the words people look for, as a
//! script (`search-index.js`) so that search works offline and opened from disk, where
//! pages cannot `fetch` files. The theme's `search.js` searches it with Fuse.js.

use rayon::prelude::*;
use serde::Serialize;

use super::strings::Vocabulary;
use super::{Files, Renderer};
use crate::error::Error;
use crate::graph::NodeId;
use crate::model::{Item, Text};

/// One searchable entity. Short keys keep the file small.
#[derive(Debug, Serialize)]
struct Doc {
    /// Title.
    t: String,
    /// Short name and aliases.
    a: Vec<String>,
    /// Kind, translated.
    k: String,
    /// Tasks and competences.
    w: Vec<String>,
    /// The mandate text, as plain text, shortened.
    x: String,
    /// Organisations with seats and the people in them (for bodies), groups it belongs to
    /// (for organisations), bodies a person has seats in (for people).
    m: Vec<String>,
    /// Link from the site root.
    h: String,
}

/// The mandate text kept in the index: enough to find a body by what it does.
const TEXT_CHARS: usize = 1500;

fn flatten(items: &[Item], out: &mut Vec<String>) {
    for item in items {
        out.push(item.text.clone());
        flatten(&item.items, out);
    }
}

/// The Markdown with `[[id|label]]` links written as the words a reader sees.
fn readable(text: &Text, title: impl Fn(&str) -> String) -> String {
    let md = &text.markdown;
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for link in &text.links {
        out.push_str(&md[at..link.span.start]);
        out.push_str(&link.label.clone().unwrap_or_else(|| title(&link.target)));
        at = link.span.end;
    }
    out.push_str(&md[at..]);
    out
}

/// Markdown to words: markup dropped.
fn plain(markdown: &str) -> String {
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(markdown) {
        if let pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) = event {
            out.push_str(&t);
            out.push(' ');
        }
        if out.len() > TEXT_CHARS {
            break;
        }
    }
    let mut text: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = text.char_indices().nth(TEXT_CHARS) {
        text.truncate(cut);
    }
    text
}

impl Renderer<'_, '_> {
    /// Writes `search-index.js`. Documents are serialised in parallel and joined into one
    /// buffer of the final size: at 10,000 bodies the index is ~50 MB, and growing one
    /// string to that size took longer than making the documents.
    pub(super) fn search_index(&self, out: &Files) -> Result<(), Error> {
        let g = self.site.graph;
        let linker = self.linker(0);
        let nodes: Vec<NodeId> = g.nodes().collect();
        let docs: Vec<String> = nodes
            .par_iter()
            .map(|&n| {
                let mut w = Vec::new();
                let (aliases, kind, text, members) = match (g.body(n), g.organisation(n)) {
                    (Some(b), _) => {
                        flatten(&b.meta.tasks, &mut w);
                        flatten(&b.meta.competences, &mut w);
                        if let Some(p) = &b.meta.purpose {
                            w.push(p.clone());
                        }
                        let holders = b.meta.members.iter().flat_map(|s| &s.person).map(|p| {
                            g.person(p.get_ref())
                                .map_or(p.get_ref(), |person| person.meta.name.get_ref())
                                .clone()
                        });
                        let members = g
                            .seats(n)
                            .into_iter()
                            .map(|(_, from)| g.title(from).to_owned())
                            .chain(holders)
                            .collect();
                        (
                            b.meta
                                .short_name
                                .iter()
                                .cloned()
                                .chain(b.meta.aliases.iter().map(|a| a.get_ref().clone()))
                                .chain(b.meta.former_names.iter().map(|f| f.title.get_ref().clone()))
                                .collect(),
                            &b.meta.kind,
                            &b.text,
                            members,
                        )
                    }
                    (None, Some(o)) => {
                        let groups = g.groups_of(n).into_iter().map(|x| g.title(x).to_owned()).collect();
                        (
                            o.meta
                                .short_name
                                .iter()
                                .cloned()
                                .chain(o.meta.aliases.iter().map(|a| a.get_ref().clone()))
                                .collect(),
                            &o.meta.kind,
                            &o.text,
                            groups,
                        )
                    }
                    (None, None) => unreachable!("every node is a body or an organisation"),
                };
                let mut m: Vec<String> = members;
                m.sort();
                m.dedup();
                serde_json::to_string(&Doc {
                    t: g.title(n).to_owned(),
                    a: aliases,
                    k: kind.as_ref().map(|k| self.strings.label(Vocabulary::Kinds, k)).unwrap_or_default(),
                    w,
                    x: plain(&readable(text, |id| {
                        g.find(id).map_or_else(|| id.to_owned(), |t| g.title(t).to_owned())
                    })),
                    m,
                    h: linker.href(n),
                })
            })
            .chain(self.people_docs(&linker).into_par_iter())
            .collect::<Result<_, _>>()
            .map_err(|e| Error::Theme(e.to_string()))?;
        const HEAD: &str = "window.mandatSearchIndex = [";
        const TAIL: &str = "];\n";
        let mut js =
            String::with_capacity(HEAD.len() + docs.iter().map(|d| d.len() + 1).sum::<usize>() + TAIL.len());
        js.push_str(HEAD);
        for (i, doc) in docs.iter().enumerate() {
            if i > 0 {
                js.push(',');
            }
            js.push_str(doc);
        }
        js.push_str(TAIL);
        out.insert("search-index.js".into(), js.into_bytes())
    }

    /// A document per person: found by name, position and party, and by the bodies they
    /// sit in.
    fn people_docs(&self, linker: &super::views::Linker) -> Vec<serde_json::Result<String>> {
        let g = self.site.graph;
        let kind = self.strings.label(Vocabulary::Entities, "person");
        g.content()
            .people
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let mut m: Vec<String> =
                    g.seats_held(index).iter().map(|s| g.title(s.body).to_owned()).collect();
                m.sort();
                m.dedup();
                serde_json::to_string(&Doc {
                    t: p.meta.name.get_ref().clone(),
                    a: p.meta.party.iter().cloned().collect(),
                    k: kind.clone(),
                    w: p.meta.title.iter().cloned().collect(),
                    x: plain(&p.text.markdown),
                    m,
                    h: linker.person_href(&p.id),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup_and_is_bounded() {
        let md = "## Møder\n\nSe [[kl|KL]] og [[region]] og *dette*.";
        let text = Text { markdown: md.into(), start: 0, links: crate::links::wiki_links(md) };
        let words = plain(&readable(&text, |id| format!("Title of {id}")));
        assert_eq!(words, "Møder Se KL og Title of region og dette .");
        assert!(plain(&"ord ".repeat(2000)).chars().count() <= TEXT_CHARS);
    }
}
