//! Problems found in a site's content, and how they are shown to people and tools.
//!
//! Every stage that inspects content (parse, validate) reports through [`Diagnostic`]
//! instead of returning early, so that `mandat check` can list *all* problems at once,
//! the way a compiler does. A diagnostic always names a file and a byte span in it; the
//! span is turned into line and column only when rendering, using [`Sources`].

use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Files, SimpleFile};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config, Styles, StylesWriter};
use serde::Serialize;

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// The text of every content file read, so diagnostics can show the offending line.
///
/// Files that are not valid UTF-8 are kept with empty text: their diagnostics point at
/// the file as a whole.
#[derive(Debug, Default)]
pub struct Sources {
    /// A file's text is shared with the model's [`Text`](crate::model::Text) when it has
    /// nothing to replace, which is almost always.
    files: Vec<SimpleFile<String, Arc<str>>>,
    paths: Vec<PathBuf>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a file for showing problems in it. `path` is relative to the site root
    /// and is what users see. Control characters are replaced (see [`printable`]): the
    /// text goes to a terminal, where they would clear the screen or set the title.
    pub fn add(&mut self, path: &Path, text: impl Into<Arc<str>>) -> FileId {
        self.paths.push(path.to_path_buf());
        self.files.push(SimpleFile::new(display_path(path), printable_shared(text.into())));
        self.files.len() - 1
    }

    /// The file's new text, after an edit (`serve`'s incremental rebuilds).
    pub fn replace(&mut self, id: FileId, text: impl Into<Arc<str>>) {
        if let Some(file) = self.files.get_mut(id) {
            *file = SimpleFile::new(file.name().clone(), printable_shared(text.into()));
        }
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.paths[id]
    }

    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id).map(|f| f.source().as_ref()).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: FileId, offset: usize) -> (usize, usize) {
        self.location(id, offset.min(self.text(id).len()))
            .map(|loc| (loc.line_number, loc.column_number))
            .unwrap_or((1, 1))
    }
}

fn printable_shared(text: Arc<str>) -> Arc<str> {
    match printable(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => clean.into(),
    }
}

impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, codespan_reporting::files::Error> {
        Ok(self.file(id)?.name().clone())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.file(id)?.source().as_ref())
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.file(id)?.line_index((), byte_index)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.file(id)?.line_range((), line_index)
    }
}

impl Sources {
    fn file(&self, id: FileId) -> Result<&SimpleFile<String, Arc<str>>, codespan_reporting::files::Error> {
        self.files.get(id).ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

/// Paths are shown with `/` on every platform so that output is the same everywhere.
fn display_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A secondary place that explains the primary one (e.g. the first definition of a duplicate id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

/// One problem in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case name of the rule, for tools and for searching the docs.
    pub code: &'static str,
    pub message: String,
    pub file: FileId,
    pub span: Range<usize>,
    /// What is wrong at the span itself, shown under the source line.
    pub label: String,
    pub related: Vec<Related>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            file,
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, file, span, message) }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn with_related(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related { file, span, message: message.into() });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics into the order users read them: by file, then position, errors first.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &Sources) {
    diagnostics.sort_by(|a, b| {
        (sources.path(a.file), a.span.start, std::cmp::Reverse(a.severity), a.code, &a.message).cmp(&(
            sources.path(b.file),
            b.span.start,
            std::cmp::Reverse(b.severity),
            b.code,
            &b.message,
        ))
    });
}

/// Counts of a run, printed last by `check` and included in JSON output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Self { errors, warnings: diagnostics.len() - errors }
    }
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// Colour only when stderr is a terminal.
    Auto,
    Always,
    Never,
}

impl Color {
    fn choice(self) -> ColorChoice {
        match self {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if io::stderr().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        }
    }
}

/// `text` safe to print to a terminal: each control character (and each noncharacter such
/// as U+FFFF) becomes a visible one of the same length in UTF-8 (`?`, `¿` or `�`), so
/// every byte offset into the text still points at the same place.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_unprintable(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let replace = |c: char| match c.len_utf8() {
        1 => '?',
        2 => '¿',
        3 => '\u{fffd}',
        _ => '\u{1f5cc}',
    };
    text.chars().map(|c| if is_unprintable(c) { replace(c) } else { c }).collect::<String>().into()
}

/// Whether `text` holds a character [`is_unprintable`] refuses. Every file is checked, so
/// the bytes are looked at first: only a control byte, or the lead byte of a C1 control
/// (0xC2), a noncharacter of the first plane (0xEF) or a 4-byte character, needs a closer
/// look — Danish letters (0xC3 …) and dashes (0xE2 …) do not.
pub fn has_unprintable(text: &str) -> bool {
    text.as_bytes().iter().any(|&b| SUSPECT[usize::from(b)]) && text.chars().any(is_unprintable)
}

/// The bytes [`has_unprintable`] looks closer at, as a table: one lookup per byte.
const SUSPECT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D)
            || b == 0x7F
            || b == 0xC2
            || b == 0xEF
            || (b >= 0xF0 && b <= 0xF4);
        b += 1;
    }
    table
};

/// A character no text should hold: a control character other than a tab or a line
/// break, or a noncharacter.
pub fn is_unprintable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || is_noncharacter(c)
}

/// Code points Unicode reserves as never to be text (U+FFFE, U+FFFF, U+FDD0–U+FDEF and
/// the last two of every plane); XML forbids some of them.
fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    // Messages quote what the files say, so they are made printable as well.
    let mut labels = vec![Label::primary(d.file, d.span.clone()).with_message(printable(&d.label))];
    labels.extend(
        d.related
            .iter()
            .map(|r| Label::secondary(r.file, r.span.clone()).with_message(printable(&r.message))),
    );
    let notes = d.help.iter().map(|h| format!("help: {}", printable(h))).collect();
    CsDiagnostic::new(severity)
        .with_code(d.code)
        .with_message(printable(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as rustc-style text (source line, carets, help) into a string.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let config = Config::default();
    let mut out = String::new();
    for d in diagnostics {
        // Rendering only fails when a span is outside its file, which `Sources` prevents.
        let _ = term::emit_to_string(&mut out, &config, sources, &to_codespan(d));
    }
    out
}

/// Writes diagnostics to stderr as rustc-style text, coloured according to `color`.
pub fn emit_human(diagnostics: &[Diagnostic], sources: &Sources, color: Color) -> io::Result<()> {
    let stream = StandardStream::stderr(color.choice());
    let mut lock = stream.lock();
    let styles = Styles::default();
    let mut writer = StylesWriter::new(&mut lock, &styles);
    let config = Config::default();
    for d in diagnostics {
        term::emit_to_write_style(&mut writer, &config, sources, &to_codespan(d))
            .map_err(io::Error::other)?;
    }
    lock.flush()
}

/// The JSON shape of one diagnostic. Part of mandat's stable interface for tools.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: &'a str,
}

/// The JSON document `mandat check --format json` prints.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub summary: Summary,
}

pub fn to_json<'a>(diagnostics: &'a [Diagnostic], sources: &Sources) -> JsonReport<'a> {
    let json = diagnostics
        .iter()
        .map(|d| {
            let (line, column) = sources.line_column(d.file, d.span.start);
            let (end_line, end_column) = sources.line_column(d.file, d.span.end);
            JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                file: display_path(sources.path(d.file)),
                line,
                column,
                end_line,
                end_column,
                label: &d.label,
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let (line, column) = sources.line_column(r.file, r.span.start);
                        JsonRelated {
                            file: display_path(sources.path(r.file)),
                            line,
                            column,
                            message: &r.message,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    JsonReport { diagnostics: json, summary: Summary::of(diagnostics) }
}

/// Suggests the candidate closest to `wrong`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.trim().to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // A word in Danish or an English synonym is not a typo: name the contract's word.
    if let Some(&(_, word)) = crate::model::SYNONYMS.iter().find(|(synonym, _)| *synonym == wrong_lower)
        && let Some(&found) = candidates.iter().find(|c| **c == word)
    {
        return Some(found);
    }
    // Jaro-Winkler finds long names with a letter or two wrong; Damerau-Levenshtein also
    // finds short words with two letters swapped (`tpo` → `top`), which it scores low.
    let near_enough = |c: &str| {
        let c = c.to_lowercase();
        let edits = strsim::damerau_levenshtein(&wrong_lower, &c);
        let score = strsim::jaro_winkler(&wrong_lower, &c);
        (score >= 0.85 || edits <= (c.chars().count() / 4).max(1)).then_some((edits, -score))
    };
    candidates
        .into_iter()
        .filter_map(|c| near_enough(c).map(|rank| (rank, c)))
        .min_by(|(a, ca), (b, cb)| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then_with(|| ca.cmp(cb)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unprintable_characters_are_found_past_the_byte_filter() {
        for bad in
            ["a\u{1}b", "\u{1b}[2J", "\u{7f}", "x\u{85}", "\u{fdd0}", "\u{ffff}", "\u{1fffe}", "\u{10ffff}"]
        {
            assert!(has_unprintable(bad), "{bad:?}");
            assert_eq!(printable(bad).len(), bad.len(), "{bad:?}");
        }
        for fine in ["Sundhedsdirektørkredsen – § 17, stk. 4 «x» € 😀", "tab\tand\r\nlines", "\u{fffd}"]
        {
            assert!(!has_unprintable(fine), "{fine:?}");
        }
    }

    #[test]
    fn suggests_close_names_only() {
        let ids = ["koordinationsgruppen", "region-syddanmark", "kl"];
        assert_eq!(did_you_mean("koordinationsgrupen", ids), Some("koordinationsgruppen"));
        assert_eq!(did_you_mean("region-sydanmark", ids), Some("region-syddanmark"));
        assert_eq!(did_you_mean("something-else", ids), None);
    }

    #[test]
    fn suggests_transpositions_and_the_contracts_word_for_synonyms() {
        assert_eq!(did_you_mean("tpo", ["top", "bottom"]), Some("top"));
        assert_eq!(did_you_mean("formand", crate::model::KNOWN_ROLES.iter().copied()), Some("chair"));
        assert_eq!(
            did_you_mean("Næstformand", crate::model::KNOWN_ROLES.iter().copied()),
            Some("vice-chair")
        );
        assert_eq!(did_you_mean("aktiv", ["active", "draft", "dissolved", "superseded"]), Some("active"));
        assert_eq!(
            did_you_mean("nedlagt", ["active", "draft", "dissolved", "superseded"]),
            Some("dissolved")
        );
        assert_eq!(did_you_mean("chairman", ["member", "chair", "vice-chair"]), Some("chair"));
        assert_eq!(did_you_mean("xyz", ["top", "bottom"]), None);
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let mut sources = Sources::new();
        let id = sources.add(Path::new("content/bodies/x.md"), "ab\næøå = 1\n");
        assert_eq!(sources.line_column(id, 0), (1, 1));
        // byte 9 is after "æøå " (3 two-byte letters and a space) on line 2
        assert_eq!(sources.line_column(id, 3 + 7), (2, 5));
    }

    #[test]
    fn human_output_names_file_line_and_help() {
        let mut sources = Sources::new();
        let id = sources.add(Path::new("content/bodies/x.md"), "+++\nparnet = \"a\"\n+++\n");
        let d = Diagnostic::error("unknown-key", id, 4..10, "unknown key `parnet`")
            .with_label("not a key of a body")
            .with_help("did you mean `parent`?");
        let text = render_human(&[d], &sources);
        assert!(text.contains("error[unknown-key]: unknown key `parnet`"), "{text}");
        assert!(text.contains("content/bodies/x.md:2:1"), "{text}");
        assert!(text.contains("help: did you mean `parent`?"), "{text}");
    }
}
