//! mandat: a static site generator for mandates and organisation charts.
//!
//! The pipeline runs in one direction, each stage a module with plain data in and out:
//!
//! ```text
//! walk → parse → validate → graph → (layout → render → write)
//! ```
//!
//! [`load`] runs the stages every command shares, up to validation. See
//! `ARCHITECTURE.md` for a map of the code.

pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod diagram;
pub mod diff;
pub mod error;
pub mod export;
pub mod fmt;
pub mod frontmatter;
pub mod git;
pub mod graph;
pub mod history;
pub mod id;
pub mod import;
pub mod incremental;
pub mod links;
pub mod mentions;
pub mod model;
pub mod parse;
pub mod render;
pub mod serve;
pub mod synth;
pub mod theme;
pub mod validate;
pub mod walk;
pub mod write;

use std::path::Path;

use diagnostic::{Diagnostic, Sources};
pub use error::Error;
use model::Content;

#[derive(Debug, Default, Clone, Copy)]
pub struct FileCounts {
    pub bodies: usize,
    pub organisations: usize,
    pub people: usize,
}

impl FileCounts {
    fn of(walked: &walk::Walked) -> FileCounts {
        let count = |kind| walked.files.iter().filter(|f| f.kind == kind).count();
        FileCounts {
            bodies: count(model::EntityKind::Body),
            organisations: count(model::EntityKind::Organisation),
            people: count(model::EntityKind::Person),
        }
    }
}

/// A site read from disk and checked.
#[derive(Debug)]
pub struct Loaded {
    pub config: config::Config,
    pub sources: Sources,
    pub content: Content,
    /// How many content files of each kind were found, whether or not they could be read:
    /// a summary that left out the broken files would hide them.
    pub files: FileCounts,
    /// Parse and validation problems, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Walks, parses and validates the site at `root`.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    let mut loaded = check(walk::walk(root)?);
    let (config, config_problems) = config::load(root, &mut loaded.sources)?;
    loaded.config = config;
    loaded.diagnostics.extend(config_problems);
    diagnostic::sort(&mut loaded.diagnostics, &loaded.sources);
    Ok(loaded)
}

/// Parses and validates content however it was read: from disk or from a git revision.
pub fn check(walked: walk::Walked) -> Loaded {
    let files = FileCounts::of(&walked);
    let parsed = parse::parse(walked);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(validate::validate(&parsed.content, &parsed.unreadable));
    diagnostic::sort(&mut diagnostics, &parsed.sources);
    Loaded {
        config: config::Config::default(),
        sources: parsed.sources,
        content: parsed.content,
        files,
        diagnostics,
    }
}

/// What building a site gives.
pub enum Built {
    /// The website went to the sink; this many files.
    Site(usize),
    /// The content has errors (in `Loaded::diagnostics`); nothing was rendered.
    Invalid(Box<Loaded>),
}

/// Runs the whole pipeline after load: mentions, graph, optionally the git history, theme
/// and render, with every file handed to `sink` as soon as it is made.
pub fn build_site(
    root: &Path,
    loaded: Loaded,
    with_history: bool,
    cache: Option<&render::Caches>,
    sink: &dyn render::Sink,
) -> Result<Built, Error> {
    if loaded.has_errors() {
        return Ok(Built::Invalid(Box::new(loaded)));
    }
    // The file texts are only for reporting problems, and there are none: free them (as
    // much memory as the content) before the pages take theirs.
    let Loaded { config, mut content, sources, .. } = loaded;
    drop(sources);
    content.detach_texts();
    let content = &published(content, &config);
    let mentions = if config.auto_link { mentions::find(content) } else { mentions::Mentions::none(content) };
    let history = if with_history { history::collect(root)? } else { None };
    let theme = theme::Theme::load(root, &config)?;
    let parts =
        SiteParts { config: &config, content, mentions: &mentions, theme: &theme, history: history.as_ref() };
    Ok(Built::Site(render_site(root, &parts, cache, None, sink)?))
}

/// What the stages after load work from: content that validated without errors.
pub(crate) struct SiteParts<'a> {
    pub config: &'a config::Config,
    pub content: &'a Content,
    pub mentions: &'a mentions::Mentions,
    pub theme: &'a theme::Theme,
    pub history: Option<&'a history::History>,
}

/// Graph, render and (without a `scope`) the exports and attachments: every file, or
/// those of the `scope` (see `render::Site::scope`), to `sink`. Returns how many.
pub(crate) fn render_site(
    root: &Path,
    parts: &SiteParts,
    cache: Option<&render::Caches>,
    scope: Option<&std::collections::HashSet<String>>,
    sink: &dyn render::Sink,
) -> Result<usize, Error> {
    let SiteParts { config, content, mentions, theme, history } = *parts;
    let graph = graph::OrgGraph::build(content, mentions);
    let site = render::Site { config, graph: &graph, mentions, history, cache, scope };
    if scope.is_some() {
        return render::render_into(&site, theme, sink);
    }
    let strings = theme.strings(config.language)?;
    let exports = export::Source::new(&graph, &strings, config.base_url());
    // The exports do not depend on the pages: they are made beside them.
    let (pages, data) =
        rayon::join(|| render::render_into(&site, theme, sink), || write_exports(&exports, sink));
    Ok(pages? + data? + copy_attachments(root, &content.attachments, sink)?)
}

/// The content a site publishes: without its people when `[privacy] publish_people =
/// false`, so that no later stage can let a name slip out.
fn published(content: Content, config: &config::Config) -> Content {
    if config.privacy.publish_people { content } else { content.without_people() }
}

/// The files of one export format of a site that validated without errors (`mandat
/// export`): as `/data/` holds them after a build.
pub fn export_site(
    root: &Path,
    loaded: Loaded,
    format: export::Format,
) -> Result<Vec<(&'static str, Vec<u8>)>, Error> {
    let Loaded { config, content, .. } = loaded;
    let content = published(content, &config);
    let graph = graph::OrgGraph::build(&content, &mentions::Mentions::none(&content));
    let strings = theme::Theme::load(root, &config)?.strings(config.language)?;
    let source = export::Source::new(&graph, &strings, config.base_url());
    format.files().iter().map(|file| Ok((file.name, file.bytes(&source)?))).collect()
}

/// The open-data files, under `/data/`.
fn write_exports(source: &export::Source, sink: &dyn render::Sink) -> Result<usize, Error> {
    // Streamed into the sink one at a time: together the files are about 100 MB at
    // 10,000 bodies.
    let mut count = 0;
    for file in export::Format::ALL.iter().flat_map(|format| format.files()) {
        sink.put_with(&format!("data/{}", file.name), &mut |out| file.write(source, out))?;
        count += 1;
    }
    Ok(count)
}

/// The files under `content/files/` go to `/files/` as they are.
fn copy_attachments(root: &Path, attachments: &[String], sink: &dyn render::Sink) -> Result<usize, Error> {
    use rayon::prelude::*;
    let folder = root.join("content").join(walk::ATTACHMENTS);
    attachments.par_iter().try_for_each(|name| {
        let path = folder.join(name);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        sink.put(&format!("files/{name}"), bytes)
    })?;
    Ok(attachments.len())
}
