//! `mandat build`: validate, then publish the site atomically.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::{SiteArgs, exit, plural, report_failure};
use crate::diagnostic::{self, Summary};

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
            "build failed: {} in the content; {} was left unchanged",
            plural(summary.errors, "error", "errors"),
            output.display()
        );
        return exit::INVALID;
    }
    let published = if loaded.config.privacy.publish_people { loaded.content.people.len() } else { 0 };
    let built = super::entities(crate::FileCounts {
        bodies: loaded.content.bodies.len(),
        organisations: loaded.content.organisations.len(),
        people: published,
    });
    if let Ok(Some(repo)) = crate::git::Repo::discover(&args.site.root)
        && repo.is_shallow()
    {
        eprintln!("note: this is a shallow clone; /changes/ shows only the history it holds");
    }
    // Pages go to a staging folder as they are rendered; it replaces the output only
    // when the whole build succeeded.
    let staging = match crate::write::Staging::new(&output) {
        Ok(staging) => staging,
        Err(e) => return report_failure(&e),
    };
    let result = match crate::build_site(&args.site.root, loaded, true, None, &staging) {
        Ok(crate::Built::Site(files)) => staging.commit().map(|changed| Some((files, changed))),
        // Errors were reported above; `build_site` checks again.
        Ok(crate::Built::Invalid(_)) => {
            staging.abandon();
            Ok(None)
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    };
    match result {
        Ok(None) => exit::INVALID,
        Ok(Some((files, changed))) => {
            let changed = changed
                .map(|c| format!(", {} written, {} removed", c.written, c.removed))
                .unwrap_or_default();
            eprintln!(
                "built {built} ({} files{changed}) into {} in {} ms",
                files,
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
