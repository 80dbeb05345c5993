//! A [`Report`] for people: coloured text for a terminal, Markdown for a pull request.

use std::fmt::Write as _;

use super::{ChangeKind, Detail, EntityKind, Report, Word, WordOp};

/// How to mark what was removed and added in text output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("{code}{text}{RESET}") } else { text.to_owned() }
    }
}

fn kind_word(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Body => "body",
        EntityKind::Organisation => "organisation",
    }
}

/// "1 added, 2 changed", or "no changes".
pub fn summary_line(report: &Report) -> String {
    let c = report.summary;
    let parts: Vec<String> =
        [(c.added, "added"), (c.removed, "removed"), (c.renamed, "renamed"), (c.changed, "changed")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
    if parts.is_empty() { "no changes to the organisation".to_owned() } else { parts.join(", ") }
}

pub fn text(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} → {}: {}", report.from, report.to, summary_line(report));
    for e in &report.entities {
        out.push('\n');
        let (mark, code) = match e.change {
            ChangeKind::Added => ("+", GREEN),
            ChangeKind::Removed => ("-", RED),
            ChangeKind::Renamed => (">", YELLOW),
            ChangeKind::Changed => ("~", YELLOW),
        };
        let head = format!("{mark} {} {}", kind_word(e.kind), e.title);
        let _ = write!(out, "{}", style.paint(&format!("{BOLD}{code}"), &head));
        match (&e.change, &e.old_id) {
            (ChangeKind::Renamed, Some(old)) => {
                let _ = writeln!(out, " (id {old} → {})", e.id);
            }
            _ => {
                let _ = writeln!(out, " ({})", e.id);
            }
        }
        if matches!(e.change, ChangeKind::Added | ChangeKind::Removed) && !e.path.is_empty() {
            let _ = writeln!(out, "    under {}", e.path.join(" › "));
        }
        for d in &e.details {
            let _ = writeln!(out, "    {}", detail_text(d, style));
        }
    }
    out
}

fn label(d: &Detail) -> String {
    let field = d.field.replace('_', " ");
    match &d.section {
        Some(s) if s.is_empty() => format!("{field} (introduction)"),
        Some(s) => format!("{field}, section \"{s}\""),
        None => field,
    }
}

fn detail_text(d: &Detail, style: Style) -> String {
    let old = |t: &str| style.paint(RED, t);
    let new = |t: &str| style.paint(GREEN, t);
    match d.change {
        "added" => format!("+ {}: {}", label(d), new(d.to.as_deref().unwrap_or(""))),
        "removed" => format!("- {}: {}", label(d), old(d.from.as_deref().unwrap_or(""))),
        "edited" => format!("~ {}: {}", label(d), words_text(&d.words, style)),
        "moved" => format!(
            "~ moved: {} → {}",
            old(d.from.as_deref().unwrap_or("")),
            new(d.to.as_deref().unwrap_or(""))
        ),
        _ => format!(
            "~ {}: {} → {}",
            label(d),
            old(d.from.as_deref().unwrap_or("")),
            new(d.to.as_deref().unwrap_or(""))
        ),
    }
}

/// `[-old-]{+new+}` as in `git diff --word-diff`, or coloured on a terminal.
fn words_text(words: &[Word], style: Style) -> String {
    words
        .iter()
        .map(|w| match (w.op, style.color) {
            (WordOp::Equal, _) => w.text.clone(),
            (WordOp::Delete, true) => style.paint(RED, &w.text),
            (WordOp::Insert, true) => style.paint(GREEN, &w.text),
            (WordOp::Delete, false) => format!("[-{}-]", w.text),
            (WordOp::Insert, false) => format!("{{+{}+}}", w.text),
        })
        .collect::<String>()
        .replace('\n', " ")
}

/// Markdown for a pull-request comment: a summary line, then a section per entity.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**mandat diff** `{}` → `{}`: {}", report.from, report.to, summary_line(report));
    for e in &report.entities {
        out.push('\n');
        let what = match e.change {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        };
        let _ = writeln!(out, "### {} ({}, {what})\n", md(&e.title), kind_word(e.kind));
        if let (ChangeKind::Renamed, Some(old)) = (e.change, &e.old_id) {
            let _ = writeln!(out, "- Id: `{old}` → `{}`", e.id);
        }
        if matches!(e.change, ChangeKind::Added | ChangeKind::Removed) {
            let place = if e.path.is_empty() { "top level".to_owned() } else { md(&e.path.join(" › ")) };
            let _ = writeln!(out, "- Under: {place}");
        }
        for d in &e.details {
            let _ = writeln!(out, "- {}", detail_markdown(d));
        }
    }
    out
}

fn detail_markdown(d: &Detail) -> String {
    let mut field = label(d);
    if let Some(first) = field.get(..1) {
        field = first.to_uppercase() + &field[1..];
    }
    let from = d.from.as_deref().map(md).unwrap_or_default();
    let to = d.to.as_deref().map(md).unwrap_or_default();
    match d.change {
        "added" => format!("**{field} added:** {to}"),
        "removed" => format!("**{field} removed:** ~~{from}~~"),
        "edited" => format!("**{field} edited:** {}", words_markdown(&d.words)),
        "moved" => format!("**Moved:** {from} → {to}"),
        _ => format!("**{field}:** {from} → {to}"),
    }
}

fn words_markdown(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| {
            let t = md(w.text.trim());
            let pad = |s: String| {
                let lead = if w.text.starts_with(char::is_whitespace) { " " } else { "" };
                let trail = if w.text.ends_with(char::is_whitespace) { " " } else { "" };
                format!("{lead}{s}{trail}")
            };
            match w.op {
                WordOp::Equal => md(&w.text),
                _ if t.is_empty() => String::new(),
                WordOp::Delete => pad(format!("~~{t}~~")),
                WordOp::Insert => pad(format!("**{t}**")),
            }
        })
        .collect::<String>()
        .replace('\n', " ")
}

/// Escapes text so Markdown shows it as written.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
