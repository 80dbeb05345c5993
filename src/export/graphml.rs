//! `/data/organisation.graphml`: every body and organisation as a node, every stated edge
//! (parent, secretariat, approved by, replaces, seat, relation, group member) as a typed
//! edge, for Gephi, yEd, networkx and the like. Written with quick-xml, which escapes.

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Source;
use crate::error::Error;
use crate::graph::Edge;
use crate::render::views::count_text;

/// (id, for, name) of every attribute; all strings.
const KEYS: &[(&str, &str)] = &[
    ("entity", "node"),
    ("title", "node"),
    ("kind", "node"),
    ("status", "node"),
    ("type", "edge"),
    ("relation", "edge"),
    ("role", "edge"),
    ("count", "edge"),
    ("note", "edge"),
];

pub fn write(source: &Source, out: &mut dyn Write) -> Result<(), Error> {
    graphml(source, out).map_err(|e| super::io("organisation.graphml", e))
}

fn data(w: &mut Writer<&mut dyn Write>, key: &str, value: &str) -> std::io::Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    w.create_element("data").with_attribute(("key", key)).write_text_content(BytesText::new(value))?;
    Ok(())
}

fn graphml(source: &Source, out: &mut dyn Write) -> std::io::Result<()> {
    let g = source.graph;
    // No indentation: at 10,000 bodies it would be a fifth of the file.
    let mut w = Writer::new(out);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml")
        .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
        .write_inner_content(|w| {
            for (id, of) in KEYS {
                w.create_element("key")
                    .with_attributes([("id", *id), ("for", *of), ("attr.name", *id), ("attr.type", "string")])
                    .write_empty()?;
            }
            w.create_element("graph")
                .with_attributes([("id", "organisation"), ("edgedefault", "directed")])
                .write_inner_content(|w| {
                    for &n in &source.nodes {
                        let (entity, kind, status) = match (g.body(n), g.organisation(n)) {
                            (Some(b), _) => ("body", b.meta.kind.as_deref(), b.meta.status_shown().as_str()),
                            (None, Some(o)) => ("organisation", o.meta.kind.as_deref(), ""),
                            (None, None) => continue,
                        };
                        w.create_element("node").with_attribute(("id", g.id(n))).write_inner_content(
                            |w| {
                                data(w, "entity", entity)?;
                                data(w, "title", g.title(n))?;
                                data(w, "kind", kind.unwrap_or_default())?;
                                data(w, "status", status)
                            },
                        )?;
                    }
                    for (i, (from, to, edge)) in source.edges.iter().copied().enumerate() {
                        let body = g.body(from);
                        w.create_element("edge")
                            .with_attributes([
                                ("id", format!("e{}", i + 1).as_str()),
                                ("source", g.id(from)),
                                ("target", g.id(to)),
                            ])
                            .write_inner_content(|w| {
                                data(w, "type", edge.kind())?;
                                match edge {
                                    Edge::Seat(i) => {
                                        if let Some(s) = body.and_then(|b| b.meta.members.get(i)) {
                                            data(w, "role", s.role())?;
                                            data(w, "count", &count_text(s.count))?;
                                            data(w, "note", s.note.as_deref().unwrap_or_default())?;
                                        }
                                    }
                                    Edge::Relation(i) => {
                                        if let Some(r) = body.and_then(|b| b.meta.relations.get(i)) {
                                            data(w, "relation", r.kind.get_ref())?;
                                            data(w, "note", r.note.as_deref().unwrap_or_default())?;
                                        }
                                    }
                                    _ => {}
                                }
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    w.into_inner().write_all(b"\n")
}
