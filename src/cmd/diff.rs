//! `mandat diff [FROM [TO]]`: what a change does to the organisation.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{SiteArgs, exit, report_failure};
use crate::diagnostic::{self, Color};
use crate::diagram::NodeStyle;
use crate::diagram::metrics::TextMetrics;
use crate::diagram::orgchart::{self, Options};
use crate::diagram::svg::{self, Embedding};
use crate::diagram::{LegendKey, neighbourhood::Hrefs};
use crate::diff::{self, ChangeKind, Report, format};
use crate::git::Repo;
use crate::graph::{NodeId, OrgGraph};
use crate::mentions::Mentions;
use crate::model::Content;
use crate::theme::Theme;
use crate::{Error, Loaded};

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The older version: any git revision (default: HEAD)
    pub from: Option<String>,
    /// The newer version (default: the working tree)
    pub to: Option<String>,
    /// text (coloured on a terminal), markdown (for a pull-request comment) or json
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Also write the organisation chart with added, removed and moved boxes marked
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

const WORKING_TREE: &str = "working tree";

pub fn run(args: &DiffArgs) -> u8 {
    let root = &args.site.root;
    let repo = match Repo::discover(root) {
        Ok(Some(repo)) => repo,
        Ok(None) => {
            eprintln!(
                "error: {} is not in a git repository; `mandat diff` compares git revisions",
                root.display()
            );
            return exit::FAILURE;
        }
        Err(e) => return report_failure(&e),
    };
    let from = args.from.as_deref().unwrap_or("HEAD");
    let old = match version(&repo, root, Some(from), args.site.color) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let new = match version(&repo, root, args.to.as_deref(), args.site.color) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let to = args.to.as_deref().unwrap_or(WORKING_TREE);
    let report = diff::compare(from, &old.content, to, &new.content);
    let printed = match args.format {
        DiffFormat::Text => {
            let color = match args.site.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal(),
            };
            format::text(&report, format::Style { color })
        }
        DiffFormat::Markdown => format::markdown(&report),
        DiffFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("error: {e}");
                return exit::FAILURE;
            }
        },
    };
    print!("{printed}");
    if let Some(path) = &args.svg
        && let Err(e) = write_svg(path, root, &old.content, &new.content, &report)
    {
        return report_failure(&e);
    }
    exit::OK
}

/// Reads and checks one version; on invalid content prints why and gives the exit code.
fn version(repo: &Repo, root: &Path, revision: Option<&str>, color: Color) -> Result<Loaded, u8> {
    let label = revision.unwrap_or(WORKING_TREE);
    let loaded = match revision {
        None => crate::load(root),
        Some(rev) => repo.resolve(rev).and_then(|commit| repo.walk(commit)).map(crate::check),
    };
    let loaded = loaded.map_err(|e| report_failure(&e))?;
    if loaded.has_errors() {
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        let _ = diagnostic::emit_human(&errors, &loaded.sources, color);
        eprintln!(
            "error: the content at `{label}` is invalid ({} errors); fix it before comparing",
            errors.len()
        );
        return Err(exit::INVALID);
    }
    Ok(loaded)
}

struct Ids<'g, 'c>(&'g OrgGraph<'c>);

impl Hrefs for Ids<'_, '_> {
    fn entity(&self, n: NodeId) -> String {
        format!("{}/{}/index.html", self.0.node(n).kind.folder(), self.0.id(n))
    }
    fn section(&self, anchor: &str) -> String {
        anchor.to_owned()
    }
}

/// The newer organisation chart, with the removed bodies put back where they were.
fn write_svg(path: &Path, root: &Path, old: &Content, new: &Content, report: &Report) -> Result<(), Error> {
    let mut merged = new.clone();
    let mut marks: HashMap<String, NodeStyle> = HashMap::new();
    for e in &report.entities {
        let style = match e.change {
            ChangeKind::Added => NodeStyle::Added,
            ChangeKind::Removed => NodeStyle::Removed,
            _ if e.details.iter().any(|d| d.change == "moved") => NodeStyle::Moved,
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
    let theme = Theme::load(root, &crate::config::Config::default())?;
    let font = |p: &str| theme.file(p).ok_or_else(|| Error::Theme(format!("the theme has no {p}")));
    let metrics = TextMetrics::new(font("static/fonts/sans.ttf")?, font("static/fonts/sans-bold.ttf")?)
        .map_err(Error::Theme)?;
    let options = Options {
        id: "diff",
        title: format!("Changes from {} to {}", report.from, report.to),
        description: format::summary_line(report),
        max_depth: 100,
        max_nodes: usize::MAX,
        more: "+{n} more",
        legend: "Set up under",
        ended: "Superseded or dissolved",
        marks: Some(&marks),
    };
    let mut chart = orgchart::build(&graph, &graph.hierarchy_roots(), &metrics, &Ids(&graph), &options);
    for (style, label) in
        [(NodeStyle::Added, "Added"), (NodeStyle::Removed, "Removed"), (NodeStyle::Moved, "Moved")]
    {
        if chart.nodes.iter().any(|n| n.style == style) {
            chart.legend.push((LegendKey::Node(style), label.to_owned()));
        }
    }
    let css = theme.file("static/diagram.css").and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default();
    let svg = svg::write(&chart, &metrics, Embedding::Standalone { css });
    std::fs::write(path, svg).map_err(|e| Error::io(path, e))
}
