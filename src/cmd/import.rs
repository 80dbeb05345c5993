//! `mandat import FILE…`: a draft body from each kommissorium, placed where the text is
//! unambiguous and listed for checking where it is not.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{SiteArgs, exit, report_failure};
use crate::import::{self, Format, Imported};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Kommissorier to import: .docx, .pdf (with a text layer), .html, .md or .txt
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The id of the body or organisation the new bodies are set up under
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
    /// Print each draft and what it placed, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(args: &ImportArgs) -> u8 {
    let root = &args.site.root;
    let loaded = match crate::load(root) {
        Ok(loaded) => loaded,
        Err(e) => return report_failure(&e),
    };
    if let Some(parent) = &args.parent
        && let Err(e) = super::new::known_parent(&loaded.content, parent)
    {
        eprintln!("error: {e}");
        return exit::FAILURE;
    }
    let mut failed = false;
    let mut written: Vec<String> = Vec::new();
    for file in &args.files {
        match import_one(args, &loaded.content, file, &written) {
            Ok(Some(id)) => written.push(id),
            Ok(None) => {}
            Err(message) => {
                eprintln!("error: {}: {message}", file.display());
                failed = true;
            }
        }
    }
    // As the issue that asked for import says: 1 when a file could not be imported (each is
    // named above); 2 stays for wrong usage and a site that cannot be read.
    if failed { exit::INVALID } else { exit::OK }
}

/// Imports `file`; the id written, if any.
fn import_one(
    args: &ImportArgs,
    content: &crate::model::Content,
    file: &Path,
    written: &[String],
) -> Result<Option<String>, String> {
    let format = Format::of(file).ok_or("mandat imports .docx, .pdf, .html, .md and .txt files")?;
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read it: {e}"))?;
    let doc = import::read(format, &bytes)?;
    let name =
        file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let Imported { id, file: text, draft } = import::import(&doc, &name, content, args.parent.as_deref())
        .map_err(|e| format!("cannot lay out the draft ({e:?}); please report this"))?;
    let problems = draft_problems(&args.site.root, &id, &text)?;
    if !problems.is_empty() {
        return Err(format!(
            "the draft does not pass check, so it was not written (please report this):\n{problems}"
        ));
    }
    let path = args.site.root.join("content").join("bodies").join(format!("{id}.md"));
    let report = |out: &mut dyn std::io::Write| {
        let _ = writeln!(out, "{} → {}", file.display(), path.display());
        for line in &draft.placed {
            let _ = writeln!(out, "  placed  {line}");
        }
        for line in &draft.left {
            let _ = writeln!(out, "  check   {line}");
        }
    };
    if args.dry_run {
        report(&mut std::io::stderr());
        print!("{text}");
        return Ok(None);
    }
    let taken = content.entities().any(|e| e.id == id)
        || content.people.iter().any(|p| p.id == id)
        || written.contains(&id);
    if taken || path.exists() {
        return Err(format!(
            "{} already exists; mandat import never overwrites a file (see the draft with --dry-run)",
            path.display()
        ));
    }
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| crate::write::write_atomically(&path, text.as_bytes(), false))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    report(&mut std::io::stdout());
    Ok(Some(id))
}

/// The errors `check` finds in the draft, as it would stand in the site: none, or their
/// report.
fn draft_problems(root: &Path, id: &str, text: &str) -> Result<String, String> {
    let (checked, relative) = import::check_in_site(root, id, text).map_err(|e| e.to_string())?;
    let own: Vec<_> = checked
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error() && checked.sources.path(d.file) == relative)
        .collect();
    Ok(if own.is_empty() { String::new() } else { crate::diagnostic::render_human(&own, &checked.sources) })
}
