//! `mandat build`: validate, then publish the site atomically.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::{SiteArgs, exit, report_failure};
use crate::diagnostic::{self, Summary};
use crate::graph::OrgGraph;
use crate::mentions::{self, Mentions};
use crate::render::{self, Site};
use crate::theme::Theme;

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: `public/` in the site's root). mandat replaces
    /// only folders it wrote itself, or empty ones.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &BuildArgs) -> u8 {
    let started = Instant::now();
    let output = args.output.clone().unwrap_or_else(|| args.site.root.join("public"));
    // Refuse a foreign output folder before doing any work.
    if let Err(e) = crate::write::ensure_replaceable(&output) {
        return report_failure(&e);
    }
    let loaded = match crate::load(&args.site.root) {
        Ok(loaded) => loaded,
        Err(e) => return report_failure(&e),
    };
    if let Err(e) = diagnostic::emit_human(&loaded.diagnostics, &loaded.sources, args.site.color) {
        eprintln!("error: cannot write diagnostics: {e}");
        return exit::FAILURE;
    }
    let summary = Summary::of(&loaded.diagnostics);
    if summary.errors > 0 {
        eprintln!(
            "build failed: {} error(s) in the content; {} was left unchanged",
            summary.errors,
            output.display()
        );
        return exit::INVALID;
    }
    let content = &loaded.content;
    let mentions = if loaded.config.auto_link { mentions::find(content) } else { Mentions::none(content) };
    let graph = OrgGraph::build(content, &mentions);
    let history = match crate::history::collect(&args.site.root) {
        Ok(history) => history,
        Err(e) => return report_failure(&e),
    };
    if history.as_ref().is_some_and(|h| h.shallow) {
        eprintln!("note: this is a shallow clone; /changes/ shows only the history it holds");
    }
    let result = Theme::load(&args.site.root, &loaded.config).and_then(|theme| {
        let site =
            Site { config: &loaded.config, graph: &graph, mentions: &mentions, history: history.as_ref() };
        let files = render::render(&site, &theme)?;
        crate::write::write_site(&output, &files)?;
        Ok(files.len())
    });
    match result {
        Ok(files) => {
            eprintln!(
                "built {} bodies and {} organisations ({files} files) into {} in {} ms",
                content.bodies.len(),
                content.organisations.len(),
                output.display(),
                started.elapsed().as_millis()
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}\nbuild failed; {} was left unchanged", output.display());
            exit::FAILURE
        }
    }
}
