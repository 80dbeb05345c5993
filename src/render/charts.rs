//! The diagrams of each page, in the site's language, linked relative to the page.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::Renderer;
use super::strings::{Strings, Vocabulary};
use super::views::Linker;
use crate::diagram::metrics::TextMetrics;
use crate::diagram::neighbourhood::{self, Hrefs, Texts};
use crate::diagram::orgchart::{self, Options};
use crate::diagram::svg::{self, Embedding};
use crate::diagram::{Diagram, LegendKey, NodeStyle};
use crate::diff::{Change, ChangeKind, Report};
use crate::error::Error;
use crate::graph::NodeId;
use crate::graph::OrgGraph;
use crate::mentions::Mentions;
use crate::model::Content;
use crate::theme::Theme;

/// Levels of the front page chart, and the most boxes it may have.
const FRONT_DEPTH: usize = 4;
const FRONT_NODES: usize = 150;
/// The same for the chart of each top-level body or organisation.
const SUB_DEPTH: usize = 6;
const SUB_NODES: usize = 200;

impl Hrefs for Linker<'_, '_> {
    fn entity(&self, n: NodeId) -> String {
        self.href(n)
    }

    fn section(&self, anchor: &str) -> String {
        // Diagram files sit beside the page they belong to, so this works from both.
        format!("index.html{anchor}")
    }
}

impl Renderer<'_, '_> {
    /// A UI string; the key itself if the theme lacks it (a test keeps the default complete).
    pub(super) fn text<'k>(&'k self, key: &'k str) -> &'k str {
        self.strings.text(key)
    }

    pub(super) fn inline(&self, d: &Diagram) -> String {
        svg::write(d, &self.metrics, Embedding::Inline)
    }

    /// A diagram file of the site; `root` leads from its folder to the site root.
    pub(super) fn standalone(&self, d: &Diagram, root: &str) -> Vec<u8> {
        let href = format!("{root}diagram.css");
        svg::write(d, &self.metrics, Embedding::Linked { href: &href }).into_bytes()
    }

    /// The body's neighbourhood. `None` only if the layout library fails on this graph,
    /// which must not stop the rest of the site from being built.
    pub(super) fn neighbourhood(&self, n: NodeId, linker: &Linker) -> Option<Diagram> {
        if !self.site.config.diagrams {
            return None;
        }
        let relation = |kind: &str| self.strings.label(Vocabulary::Relations, kind);
        let chairs = |n: NodeId| self.chair_line(n);
        let texts = Texts {
            more: self.text("diagram_more"),
            hierarchy: self.text("legend_hierarchy"),
            secretariat: self.text("legend_secretariat"),
            relation: &relation,
            chairs: &chairs,
            ended: self.text("legend_ended"),
            title: self.text("neighbourhood_title"),
            description: self.text("neighbourhood_description"),
        };
        catch_unwind(AssertUnwindSafe(|| {
            neighbourhood::build(
                self.site.graph,
                n,
                &self.metrics,
                &texts,
                linker,
                self.site.cache.map(|c| &c.layouts),
            )
        }))
        .ok()
    }

    /// "Formand: Betina Svinggaard (A)" for a body whose chairs are named; one line per
    /// chairing role. Made once per body: a body's box is in the diagrams of all its
    /// neighbours.
    fn chair_line(&self, n: NodeId) -> Option<&str> {
        let made = || {
            // Names only, no links: the line is the same from every page.
            let linker = self.linker(0);
            let lines: Vec<String> = self
                .site
                .graph
                .body(n)?
                .meta
                .members
                .iter()
                .filter(|s| matches!(s.role(), "chair" | "co-chair") && !s.person.is_empty())
                .map(|s| {
                    let names: Vec<String> = s
                        .person
                        .iter()
                        .map(|entry| {
                            let p = linker.person(entry.get_ref());
                            match p.party {
                                Some(party) => format!("{} ({party})", p.name),
                                None => p.name.to_owned(),
                            }
                        })
                        .collect();
                    format!("{}: {}", self.strings.label(Vocabulary::Roles, s.role()), names.join(", "))
                })
                .collect();
            (!lines.is_empty()).then(|| lines.join("\n"))
        };
        self.chair_lines.get(n.index())?.get_or_init(made).as_deref()
    }

    /// The chart of everything on the front page (and `/organisation.svg`).
    pub(super) fn front_chart(&self, linker: &Linker) -> Diagram {
        let options = Options {
            id: "oc",
            title: self.text("chart_title").to_owned(),
            description: self.text("chart_description").to_owned(),
            max_depth: FRONT_DEPTH,
            max_nodes: FRONT_NODES,
            more: self.text("diagram_more"),
            legend: self.text("legend_hierarchy"),
            ended: self.text("legend_ended"),
            marks: None,
            groups: Some(self.text("chart_group_other")),
            organisation: self.text("legend_organisation"),
        };
        orgchart::build(self.site.graph, &self.site.graph.hierarchy_roots(), &self.metrics, linker, &options)
    }

    /// The chart under a top-level body or organisation, if anything is under it.
    pub(super) fn subchart(&self, root: NodeId, linker: &Linker) -> Option<Diagram> {
        let g = self.site.graph;
        if !self.site.config.diagrams {
            return None;
        }
        if !g.children(root).into_iter().any(|c| g.holds_bodies(c)) {
            return None;
        }
        let title = g.title(root);
        let options = Options {
            id: "sc",
            title: self.text("subchart_title").replace("{title}", title),
            description: self.text("subchart_description").replace("{title}", title),
            max_depth: SUB_DEPTH,
            max_nodes: SUB_NODES,
            more: self.text("diagram_more"),
            legend: self.text("legend_hierarchy"),
            ended: self.text("legend_ended"),
            marks: None,
            groups: None,
            organisation: self.text("legend_organisation"),
        };
        Some(orgchart::build(g, &[root], &self.metrics, linker, &options))
    }
}

/// Links of the diff chart, which is a file of its own: paths from the site root.
struct SitePaths<'g, 'c>(&'g OrgGraph<'c>);

impl Hrefs for SitePaths<'_, '_> {
    fn entity(&self, n: NodeId) -> String {
        format!("{}/{}/index.html", self.0.node(n).kind.folder(), self.0.id(n))
    }
    fn section(&self, anchor: &str) -> String {
        anchor.to_owned()
    }
}

/// The newer organisation chart with what `report` found marked: added, removed (put back
/// where it was) and moved boxes, as a standalone SVG in the language of `strings`.
pub fn diff_chart(
    old: &Content,
    new: &Content,
    report: &Report,
    theme: &Theme,
    strings: &Strings,
) -> Result<String, Error> {
    let mut merged = new.clone();
    let mut marks: HashMap<String, NodeStyle> = HashMap::new();
    for e in &report.entities {
        let style = match e.change {
            ChangeKind::Added => NodeStyle::Added,
            ChangeKind::Removed => NodeStyle::Removed,
            _ if e.details.iter().any(|d| d.change == Change::Moved) => NodeStyle::Moved,
            _ => continue,
        };
        marks.insert(e.id.clone(), style);
        if e.change == ChangeKind::Removed
            && let Some(body) = old.bodies.iter().find(|b| b.id == e.id)
        {
            let mut body = body.clone();
            let parent_exists = |id: &str| {
                merged.bodies.iter().any(|b| b.id == id) || merged.organisations.iter().any(|o| o.id == id)
            };
            if body.meta.parent.as_ref().is_some_and(|p| !parent_exists(p.get_ref())) {
                body.meta.parent = None;
            }
            body.meta.relations.clear();
            body.meta.members.clear();
            body.meta.secretariat = None;
            merged.bodies.push(body);
        }
    }
    merged.bodies.sort_by(|a, b| a.id.cmp(&b.id));
    let graph = OrgGraph::build(&merged, &Mentions::none(&merged));
    let metrics: TextMetrics = theme.metrics()?;
    let wording = super::report::Wording::new(strings);
    let options = Options {
        id: "diff",
        title: strings.text("diff_chart_title").replace("{from}", &report.from).replace("{to}", &report.to),
        description: wording.summary_line(report),
        max_depth: 100,
        max_nodes: usize::MAX,
        more: strings.text("diagram_more"),
        legend: strings.text("legend_hierarchy"),
        ended: strings.text("legend_ended"),
        marks: Some(&marks),
        groups: None,
        organisation: strings.text("legend_organisation"),
    };
    let mut chart = orgchart::build(&graph, &graph.hierarchy_roots(), &metrics, &SitePaths(&graph), &options);
    for (style, change) in
        [(NodeStyle::Added, "added"), (NodeStyle::Removed, "removed"), (NodeStyle::Moved, "moved")]
    {
        if chart.nodes.iter().any(|n| n.style == style) {
            chart.legend.push((LegendKey::Node(style), strings.label(Vocabulary::Changes, change)));
        }
    }
    let css = theme.file("static/diagram.css").and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default();
    Ok(svg::write(&chart, &metrics, Embedding::Standalone { css }))
}
