//! Open data: the organisation as files for other programs — Popolo JSON, CSV, GraphML
//! and DOT. Each file is a pure function of the graph to bytes, written to a stream as it
//! is made: at 10,000 bodies the files are 100 MB (`popolo.json` alone 40 MB, 70 MB with
//! people), more than the rest of a build holds at once. `build` streams them under `/data/`
//! through the same sink as the pages, `mandat export` to a file or stdout.
//!
//! Everything is sorted by id, so two exports of the same content are byte-identical.
//! People reach an export only when the site publishes them: a site with
//! `publish_people = false` hands the exports a graph without people, as it does render.

pub mod csv;
pub mod dot;
pub mod graphml;
pub mod popolo;

use std::io::Write;

use crate::error::Error;
use crate::graph::{Edge, NodeId, OrgGraph};
use crate::model::Document;
use crate::render::strings::Strings;

/// What every format reads.
pub struct Source<'a, 'c> {
    pub graph: &'a OrgGraph<'c>,
    /// Labels in the site's language, for the words a format carries (a post's role).
    pub strings: &'a Strings,
    /// With one trailing slash; links are absolute when it is set.
    pub base_url: Option<String>,
    /// Every body and organisation by id, and `graph.stated_edges()`: sorted once for all
    /// the formats.
    pub nodes: Vec<NodeId>,
    pub edges: Vec<(NodeId, NodeId, Edge)>,
}

impl<'a, 'c> Source<'a, 'c> {
    pub fn new(graph: &'a OrgGraph<'c>, strings: &'a Strings, base_url: Option<String>) -> Self {
        let mut nodes: Vec<NodeId> = graph.nodes().collect();
        nodes.sort_by_key(|&n| graph.id(n));
        Source { graph, strings, base_url, nodes, edges: graph.stated_edges() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Popolo,
    Csv,
    Graphml,
    Dot,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Popolo, Format::Csv, Format::Graphml, Format::Dot];

    /// The files of the format: one, or the CSV tables.
    pub fn files(self) -> &'static [DataFile] {
        match self {
            Format::Popolo => &[DataFile { name: "popolo.json", write: popolo::write }],
            Format::Csv => csv::TABLES,
            Format::Graphml => &[DataFile { name: "organisation.graphml", write: graphml::write }],
            Format::Dot => &[DataFile { name: "organisation.dot", write: dot::write }],
        }
    }
}

/// A file of an export, by its name under `data/`.
#[derive(Clone, Copy)]
pub struct DataFile {
    pub name: &'static str,
    write: fn(&Source, &mut dyn Write) -> Result<(), Error>,
}

impl DataFile {
    /// Writes the file to `out` piece by piece: give it a buffered writer.
    pub fn write(&self, source: &Source, out: &mut dyn Write) -> Result<(), Error> {
        (self.write)(source, out)
    }

    pub fn bytes(&self, source: &Source) -> Result<Vec<u8>, Error> {
        let mut bytes = Vec::new();
        self.write(source, &mut bytes)?;
        Ok(bytes)
    }
}

impl Source<'_, '_> {
    /// The address of a page of the site: absolute with `base_url`, else from the site's root.
    pub fn page_url(&self, path: &str) -> String {
        match &self.base_url {
            Some(base) => format!("{base}{path}"),
            None => format!("{path}index.html"),
        }
    }

    pub fn entity_url(&self, n: NodeId) -> String {
        let g = self.graph;
        self.page_url(&format!("{}/{}/", g.node(n).kind.folder(), g.id(n)))
    }

    pub fn person_url(&self, id: &str) -> String {
        self.page_url(&format!("people/{id}/"))
    }

    /// A document's address: its web address, or where build copied its file.
    pub fn document_url(&self, d: &Document) -> String {
        match d.file() {
            Some(file) => match &self.base_url {
                Some(base) => format!("{base}files/{file}"),
                None => format!("files/{file}"),
            },
            None => d.url.get_ref().clone(),
        }
    }
}

fn io(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Export(format!("{what}: {e}"))
}
