//! `mandat check`: validate a site and report every problem.

use clap::{Args, ValueEnum};

use super::{SiteArgs, exit, plural, report_failure};
use crate::diagnostic::{self, Summary};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output for people (rustc style, on stderr) or for tools (JSON, on stdout)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: &CheckArgs) -> u8 {
    let loaded = match crate::load(&args.site.root) {
        Ok(loaded) => loaded,
        Err(e) => return report_failure(&e),
    };
    let summary = Summary::of(&loaded.diagnostics);
    match args.format {
        Format::Json => {
            let report = diagnostic::to_json(&loaded.diagnostics, &loaded.sources);
            match serde_json::to_string_pretty(&report) {
                Ok(json) => println!("{json}"),
                Err(e) => {
                    eprintln!("error: {e}");
                    return exit::FAILURE;
                }
            }
        }
        Format::Human => {
            if let Err(e) = diagnostic::emit_human(&loaded.diagnostics, &loaded.sources, args.site.color) {
                eprintln!("error: cannot write diagnostics: {e}");
                return exit::FAILURE;
            }
            eprintln!("{}", summary_line(&summary, loaded.files));
        }
    }
    if summary.errors > 0 { exit::INVALID } else { exit::OK }
}

fn summary_line(summary: &Summary, files: crate::FileCounts) -> String {
    let checked = super::entities(files);
    match (summary.errors, summary.warnings) {
        (0, 0) => format!("checked {checked}: no problems"),
        (0, w) => format!("checked {checked}: {}", plural(w, "warning", "warnings")),
        (e, w) => format!(
            "checked {checked}: {}, {}",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings")
        ),
    }
}
