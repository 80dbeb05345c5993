//! Failures that stop a command: I/O, usage, a broken theme. Problems *in* the content
//! are not errors but [`crate::diagnostic::Diagnostic`]s, collected and reported together.

use std::path::{Path, PathBuf};

/// Failures that stop mandat before it can say anything about the content itself.
/// Problems *in* the content are diagnostics, not errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{root} is not a mandat site: it has no `content/` folder")]
    NotASite { root: PathBuf },
    #[error("theme `{theme}` not found: there is no folder {dir}")]
    ThemeNotFound { theme: String, dir: PathBuf },
    #[error("theme: {0}")]
    Theme(String),
    #[error("template: {0}")]
    Template(String),
    #[error("git: {0}")]
    Git(String),
    #[error("export: {0}")]
    Export(String),
    #[error(
        "refusing to replace {dir}: {reason}\n  (mandat only replaces folders it wrote itself; choose an empty or new folder with --output)"
    )]
    ForeignOutput { dir: PathBuf, reason: &'static str },
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}
