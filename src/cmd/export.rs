//! `mandat export`: the open-data files of `/data/`, without building the site.

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::{SiteArgs, exit, plural, report_failure};
use crate::diagnostic::{self, Summary};
use crate::export::Format;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// popolo (JSON), csv (five tables), graphml or dot
    #[arg(long, value_enum)]
    pub format: Format,
    /// A file for popolo, graphml and dot (default: standard output); a folder for csv
    #[arg(long, short, value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs) -> u8 {
    if args.format == Format::Csv && args.output.is_none() {
        eprintln!(
            "error: csv is five files (bodies, organisations, seats, people, relations): give a folder with --output DIR"
        );
        return exit::FAILURE;
    }
    let loaded = match crate::load(&args.site.root) {
        Ok(loaded) => loaded,
        Err(e) => return report_failure(&e),
    };
    let summary = Summary::of(&loaded.diagnostics);
    if summary.errors > 0 {
        if let Err(e) = diagnostic::emit_human(&loaded.diagnostics, &loaded.sources, args.site.color) {
            eprintln!("error: cannot write diagnostics: {e}");
        }
        eprintln!(
            "export failed: {} in the content (`mandat check` lists them)",
            plural(summary.errors, "error", "errors")
        );
        return exit::INVALID;
    }
    let files = match crate::export_site(&args.site.root, loaded, args.format) {
        Ok(files) => files,
        Err(e) => return report_failure(&e),
    };
    let written = match (&args.output, args.format) {
        (None, _) => std::io::stdout()
            .lock()
            .write_all(&files[0].1)
            .map_err(|e| crate::Error::io("<stdout>".as_ref(), e)),
        (Some(dir), Format::Csv) => {
            std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e)).and_then(|()| {
                files.iter().try_for_each(|(name, bytes)| {
                    let path = dir.join(name);
                    crate::write::write_atomically(&path, bytes, true).map_err(|e| crate::Error::io(&path, e))
                })
            })
        }
        (Some(file), _) => {
            crate::write::write_atomically(file, &files[0].1, true).map_err(|e| crate::Error::io(file, e))
        }
    };
    match written {
        Ok(()) => {
            if let Some(out) = &args.output {
                eprintln!("wrote {} to {}", plural(files.len(), "file", "files"), out.display());
            }
            exit::OK
        }
        Err(e) => report_failure(&e),
    }
}
