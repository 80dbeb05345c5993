//! `/print/`: the whole organisation as one document made for paper.

use rayon::prelude::*;
use serde::Serialize;

use super::views::{BodyView, DateView, LinkView};
use super::{CountView, Files, Nav, Renderer};
use crate::config::{Orientation, Paper, PrintSection};
use crate::error::Error;
use crate::graph::NodeId;
use crate::model::Date;

#[derive(Debug, Serialize)]
struct PrintPage<'c> {
    /// CSS `@page` sizes.
    paper: &'static str,
    chart_paper: String,
    show: Vec<PrintSection>,
    date: Option<DateView>,
    /// "23 organer, 5 med offentliggjort kommissorium".
    counts: Vec<CountView>,
    chart: Option<String>,
    mandate_list: Vec<PrintBody<'c>>,
    unpublished: Vec<PrintStub>,
    /// Set when there are more mandates than `max_mandates`: how many.
    too_many: Option<usize>,
}

/// A body with a published kommissorium, on pages of its own.
#[derive(Debug, Serialize)]
struct PrintBody<'c> {
    anchor: String,
    /// Titles of the ancestors, root first: the heading path.
    path: Vec<String>,
    body: BodyView<'c>,
}

enum Entry<'c> {
    Mandate(Box<PrintBody<'c>>),
    Stub(PrintStub),
}

/// A body known only from other mandates: one line.
#[derive(Debug, Serialize)]
struct PrintStub {
    anchor: String,
    path: Vec<String>,
    link: LinkView,
    kind: Option<String>,
    status: String,
}

impl Renderer<'_, '_> {
    /// Bodies in the order of the hierarchy: depth first, each level in title order.
    fn hierarchical_bodies(&self) -> Vec<NodeId> {
        let g = self.site.graph;
        let mut out = Vec::new();
        for root in g.hierarchy_roots() {
            for n in std::iter::once(root).chain(g.descendants(root)) {
                if g.is_body(n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// The date of the content: the last commit that changed it, or else the newest date
    /// a mandate states.
    fn content_date(&self) -> Option<Date> {
        if let Some(date) = self.site.history.and_then(|h| h.entries.first()).and_then(|e| e.commit.date()) {
            return Some(date);
        }
        self.site
            .graph
            .content()
            .bodies
            .iter()
            .flat_map(|b| [b.meta.approved, b.meta.revised, b.meta.established])
            .flatten()
            .max()
    }

    /// Whether `/print/` shows every mandate in full (not only a line per body): then it
    /// shows what a body's own page shows.
    pub(super) fn prints_in_full(&self) -> bool {
        let g = self.site.graph;
        let published = g.content().bodies.iter().filter(|b| b.meta.mandate_published).count();
        published <= self.site.config.print.max_mandates
    }

    pub(super) fn print(&self, out: &Files) -> Result<(), Error> {
        let g = self.site.graph;
        let config = &self.site.config.print;
        let linker = self.linker(1);
        let path = |n: NodeId| -> Vec<String> {
            let mut p: Vec<String> = g.ancestors(n).into_iter().map(|a| g.title(a).to_owned()).collect();
            p.reverse();
            p
        };
        // Every mandate is rendered again for this page, so in parallel, order kept.
        let bodies = self.hierarchical_bodies();
        let published =
            bodies.iter().filter(|&&n| g.body(n).is_some_and(|b| b.meta.mandate_published)).count();
        let in_full = self.prints_in_full();
        let entries: Vec<Entry> = bodies
            .par_iter()
            .map(|&n| {
                let body = g.body(n).expect("only bodies are listed");
                let anchor = format!("p-{}", body.id);
                if body.meta.mandate_published && in_full {
                    Entry::Mandate(Box::new(PrintBody {
                        path: path(n),
                        body: self.body(n, &linker, &format!("{anchor}-")),
                        anchor,
                    }))
                } else {
                    Entry::Stub(PrintStub {
                        anchor,
                        path: path(n),
                        link: linker.link(n),
                        kind: linker.kind(body.meta.kind.as_ref()),
                        status: self
                            .strings
                            .label(super::strings::Vocabulary::Status, body.meta.status_shown().as_str()),
                    })
                }
            })
            .collect();
        let (mut mandate_list, mut unpublished) = (Vec::new(), Vec::new());
        for entry in entries {
            match entry {
                Entry::Mandate(body) => mandate_list.push(*body),
                Entry::Stub(stub) => unpublished.push(stub),
            }
        }
        let chart =
            (self.site.config.diagrams && config.sections.contains(&PrintSection::Chart)).then(|| {
                let mut chart = self.front_chart(&linker);
                chart.id = "pc".to_owned();
                self.inline(&chart)
            });
        let paper = match config.paper {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        };
        let orientation = match config.chart_orientation {
            Orientation::Portrait => "portrait",
            Orientation::Landscape => "landscape",
        };
        let page = PrintPage {
            paper,
            chart_paper: format!("{paper} {orientation}"),
            show: config.sections.clone(),
            date: linker.date(self.content_date()),
            counts: vec![
                self.count("bodies", g.content().bodies.len()),
                self.count("mandates", mandate_list.len()),
            ],
            chart,
            mandate_list,
            unpublished,
            too_many: (!in_full).then_some(published),
        };
        out.insert(
            "print/index.html".into(),
            self.page("print.html", "print/index.html", Nav::Print, None, &page)?,
        )?;
        Ok(())
    }
}
