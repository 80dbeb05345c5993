//! `mandat diff [FROM [TO]]`: what a change does to the organisation.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{SiteArgs, exit, report_failure};
use crate::Loaded;
use crate::diagnostic::{self, Color, Sources};
use crate::diff;
use crate::git::Repo;
use crate::render::charts::diff_chart;
use crate::render::report::{Style, Wording};
use crate::theme::Theme;

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
    // The report is worded in the language of the site as it is now.
    let (config, config_problems) = match crate::config::load(root, &mut Sources::new()) {
        Ok(config) => config,
        Err(e) => return report_failure(&e),
    };
    if config_problems.iter().any(|d| d.is_error()) {
        eprintln!("error: mandat.toml is invalid; `mandat check` shows why");
        return exit::INVALID;
    }
    let theme = match Theme::load(root, &config) {
        Ok(theme) => theme,
        Err(e) => return report_failure(&e),
    };
    let strings = match theme.strings(config.language) {
        Ok(strings) => strings,
        Err(e) => return report_failure(&e),
    };
    let wording = Wording::new(&strings);
    let from = args.from.as_deref().unwrap_or("HEAD");
    let old = match version(&repo, root, Some(from), args.site.color) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let new = match version(&repo, root, args.to.as_deref(), args.site.color) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let to = args.to.as_deref().unwrap_or(strings.text("working_tree"));
    let report = diff::compare(from, &old.content, to, &new.content);
    let printed = match args.format {
        DiffFormat::Text => {
            let color = match args.site.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal(),
            };
            wording.text(&report, Style { color })
        }
        DiffFormat::Markdown => wording.markdown(&report),
        DiffFormat::Json => match serde_json::to_string_pretty(&wording.json(&report)) {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("error: {e}");
                return exit::FAILURE;
            }
        },
    };
    print!("{printed}");
    if let Some(path) = &args.svg {
        let written = diff_chart(&old.content, &new.content, &report, &theme, &strings)
            .and_then(|svg| std::fs::write(path, svg).map_err(|e| crate::Error::io(path, e)));
        if let Err(e) = written {
            return report_failure(&e);
        }
    }
    exit::OK
}

/// Reads and checks one version; on invalid content prints why and gives the exit code.
fn version(repo: &Repo, root: &Path, revision: Option<&str>, color: Color) -> Result<Loaded, u8> {
    let label = revision.unwrap_or("the working tree");
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
