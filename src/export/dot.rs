//! `/data/organisation.dot`: the same graph for Graphviz (`dot -Tsvg organisation.dot`).
//! petgraph's `Dot` writes the graph and escapes the labels; the attributes added here
//! are quoted with Rust's string escapes, which are DOT's for every printable character
//! (content with control characters is refused when it is read).

use std::fmt;
use std::io::Write;

use petgraph::dot::Dot;
use petgraph::graph::DiGraph;

use super::Source;
use crate::error::Error;
use crate::graph::Edge;

/// A node or edge: the label petgraph writes, and our attributes.
struct Labelled {
    label: String,
    attributes: String,
}

impl fmt::Display for Labelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

pub fn write(source: &Source, file: &mut dyn Write) -> Result<(), Error> {
    let g = source.graph;
    let mut out: DiGraph<Labelled, Labelled> = DiGraph::new();
    let mut index = std::collections::HashMap::new();
    for &n in &source.nodes {
        let (shape, kind) = match (g.body(n), g.organisation(n)) {
            (Some(b), _) => ("box", b.meta.kind.as_deref()),
            (None, o) => ("ellipse", o.and_then(|o| o.meta.kind.as_deref())),
        };
        let attributes =
            format!("id = {:?}, shape = {shape}, kind = {:?}", g.id(n), kind.unwrap_or_default());
        index.insert(n, out.add_node(Labelled { label: g.title(n).to_owned(), attributes }));
    }
    for (from, to, edge) in source.edges.iter().copied() {
        let body = g.body(from);
        let (label, style) = match edge {
            Edge::Parent => (String::new(), "solid"),
            Edge::Relation(i) => (
                body.and_then(|b| b.meta.relations.get(i))
                    .map(|r| r.kind.get_ref().clone())
                    .unwrap_or_default(),
                "dashed",
            ),
            Edge::Seat(i) => (
                body.and_then(|b| b.meta.members.get(i))
                    .map(|s| format!("{} {}", crate::render::views::count_text(s.count), s.role()))
                    .unwrap_or_default(),
                "dotted",
            ),
            _ => (edge.kind().to_owned(), "dashed"),
        };
        let attributes = format!("type = {:?}, style = {style}", edge.kind());
        out.add_edge(index[&from], index[&to], Labelled { label, attributes });
    }
    let node_attributes = |_, (_, n): (petgraph::graph::NodeIndex, &Labelled)| n.attributes.clone();
    let edge_attributes = |_, e: petgraph::graph::EdgeReference<'_, Labelled>| e.weight().attributes.clone();
    let dot = Dot::with_attr_getters(&out, &[], &edge_attributes, &node_attributes);
    write!(file, "{dot}").map_err(|e| super::io("organisation.dot", e))
}
