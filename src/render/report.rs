//! A diff [`Report`] in words, in the site's language: text for a terminal, Markdown for
//! a pull request, display strings beside the values in JSON, and the values `/changes/`
//! shows. The diff stage gives data only; every word a reader sees is chosen here.

use std::fmt::Write as _;

use super::strings::{Strings, Vocabulary};
use crate::diff::{Change, ChangeKind, Detail, EntityChange, Report, Value, Word, WordOp};
use crate::model::EntityKind;

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

/// Words reports in one language.
pub struct Wording<'s> {
    strings: &'s Strings,
}

impl<'s> Wording<'s> {
    pub fn new(strings: &'s Strings) -> Self {
        Wording { strings }
    }

    fn t(&self, key: &str) -> String {
        self.strings.text(key).to_owned()
    }

    /// A value as a reader reads it: a title, a date in words, "2 × Region Syddanmark (Medlem)".
    pub fn value(&self, value: &Value) -> String {
        let s = self.strings;
        match value {
            Value::Text { text } => text.clone(),
            Value::Flag { value } => self.t(if *value { "yes" } else { "no" }),
            Value::Date { date } => s.date(*date),
            Value::Status { status } => s.label(Vocabulary::Status, status.as_str()),
            Value::Entity(e) => e.title.clone(),
            Value::Place { path } if path.is_empty() => self.t("top_level"),
            Value::Place { path } => path.iter().map(|e| e.title.as_str()).collect::<Vec<_>>().join(" › "),
            Value::Seat { from, count, each, role, person, note } => {
                let from = from.as_ref().map_or_else(|| self.t("capacity_personal"), |f| f.title.clone());
                let mut out = if *each {
                    format!("{count} {} {from}", self.t("each"))
                } else {
                    format!("{count} × {from}")
                };
                let _ = write!(out, " ({})", s.label(Vocabulary::Roles, role));
                if !person.is_empty() {
                    let _ = write!(out, ", {}", names(person));
                }
                if let Some(note) = note {
                    let _ = write!(out, " – {note}");
                }
                out
            }
            Value::People { person } if person.is_empty() => self.t("nobody_named"),
            Value::People { person } => names(person),
            Value::Relation { relation, to, note } => {
                let mut out = format!("{} {}", s.label(Vocabulary::Relations, relation), to.title);
                if let Some(note) = note {
                    let _ = write!(out, " – {note}");
                }
                out
            }
        }
    }

    /// The field's name, with the section for text: "Tekst, afsnit „Baggrund“".
    pub fn field(&self, d: &Detail) -> String {
        let field = self.strings.label(Vocabulary::Fields, d.field.key());
        match &d.section {
            Some(section) if section.is_empty() => format!("{field} ({})", self.t("introduction")),
            Some(section) => format!("{field}, {} „{section}“", self.t("section")),
            None => field,
        }
    }

    pub fn change(&self, change: Change) -> String {
        self.strings.label(Vocabulary::Changes, change.key())
    }

    fn entity_change(&self, change: ChangeKind) -> String {
        let key = match change {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        };
        self.strings.label(Vocabulary::Changes, key)
    }

    fn kind(&self, kind: EntityKind) -> String {
        let key = match kind {
            EntityKind::Body => "body",
            EntityKind::Organisation => "organisation",
            EntityKind::Person => "person",
        };
        self.strings.label(Vocabulary::Entities, key)
    }

    /// "1 tilføjet, 2 ændret", or that nothing in the organisation changed.
    pub fn summary_line(&self, report: &Report) -> String {
        let c = report.summary;
        let parts: Vec<String> = [
            (c.added, ChangeKind::Added),
            (c.removed, ChangeKind::Removed),
            (c.renamed, ChangeKind::Renamed),
            (c.changed, ChangeKind::Changed),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, change)| format!("{n} {}", self.entity_change(change).to_lowercase()))
        .collect();
        if parts.is_empty() { self.t("diff_none") } else { parts.join(", ") }
    }

    pub fn text(&self, report: &Report, style: Style) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} → {}: {}", report.from, report.to, self.summary_line(report));
        for e in &report.entities {
            out.push('\n');
            let (mark, code) = match e.change {
                ChangeKind::Added => ("+", GREEN),
                ChangeKind::Removed => ("-", RED),
                ChangeKind::Renamed => (">", YELLOW),
                ChangeKind::Changed => ("~", YELLOW),
            };
            let head = format!("{mark} {} {}", self.kind(e.kind).to_lowercase(), e.title);
            let _ = write!(out, "{}", style.paint(&format!("{BOLD}{code}"), &head));
            match (&e.change, &e.old_id) {
                (ChangeKind::Renamed, Some(old)) => _ = writeln!(out, " (id {old} → {})", e.id),
                _ => _ = writeln!(out, " ({})", e.id),
            }
            if let Some(place) = self.place(e) {
                let _ = writeln!(out, "    {}: {place}", self.t("diff_under"));
            }
            for d in &e.details {
                let _ = writeln!(out, "    {}", self.detail_text(d, style));
            }
        }
        out
    }

    /// Where an added or removed entity sits.
    fn place(&self, e: &EntityChange) -> Option<String> {
        matches!(e.change, ChangeKind::Added | ChangeKind::Removed)
            .then(|| if e.path.is_empty() { self.t("top_level") } else { e.path.join(" › ") })
    }

    fn detail_text(&self, d: &Detail, style: Style) -> String {
        let old = style.paint(RED, &d.old.as_ref().map(|v| self.value(v)).unwrap_or_default());
        let new = style.paint(GREEN, &d.new.as_ref().map(|v| self.value(v)).unwrap_or_default());
        let (field, change) = (self.field(d), self.change(d.change).to_lowercase());
        match d.change {
            Change::Added => format!("+ {field} {change}: {new}"),
            Change::Removed => format!("- {field} {change}: {old}"),
            Change::Edited => format!("~ {field} {change}: {}", words_text(&d.words, style)),
            Change::Moved => format!("~ {}: {old} → {new}", self.change(d.change)),
            Change::Changed => format!("~ {field}: {old} → {new}"),
        }
    }

    /// Markdown for a pull-request comment: a summary line, then a section per entity.
    pub fn markdown(&self, report: &Report) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "**mandat diff** `{}` → `{}`: {}",
            report.from,
            report.to,
            self.summary_line(report)
        );
        for e in &report.entities {
            out.push('\n');
            let what = self.entity_change(e.change).to_lowercase();
            let _ = writeln!(out, "### {} ({}, {what})\n", md(&e.title), self.kind(e.kind).to_lowercase());
            if let (ChangeKind::Renamed, Some(old)) = (e.change, &e.old_id) {
                let _ = writeln!(out, "- Id: `{old}` → `{}`", e.id);
            }
            if let Some(place) = self.place(e) {
                let _ = writeln!(out, "- {}: {}", capitalise(&self.t("diff_under")), md(&place));
            }
            for d in &e.details {
                let _ = writeln!(out, "- {}", self.detail_markdown(d));
            }
        }
        out
    }

    fn detail_markdown(&self, d: &Detail) -> String {
        let field = capitalise(&self.field(d));
        let change = self.change(d.change).to_lowercase();
        let old = d.old.as_ref().map(|v| md(&self.value(v))).unwrap_or_default();
        let new = d.new.as_ref().map(|v| md(&self.value(v))).unwrap_or_default();
        match d.change {
            Change::Added => format!("**{field} {change}:** {new}"),
            Change::Removed => format!("**{field} {change}:** ~~{old}~~"),
            Change::Edited => format!("**{field} {change}:** {}", words_markdown(&d.words)),
            Change::Moved => format!("**{}:** {old} → {new}", self.change(d.change)),
            Change::Changed => format!("**{field}:** {old} → {new}"),
        }
    }

    /// The report as JSON: the data, and beside each value the words the text output
    /// uses for it (`from` and `to`), so a tool can show what a person would read.
    pub fn json(&self, report: &Report) -> serde_json::Value {
        let mut json = serde_json::to_value(report).unwrap_or_default();
        let entities = json.get_mut("entities").and_then(|e| e.as_array_mut());
        for (entity, change) in entities.into_iter().flatten().zip(&report.entities) {
            let details = entity.get_mut("details").and_then(|d| d.as_array_mut());
            for (detail, d) in details.into_iter().flatten().zip(&change.details) {
                for (key, value) in [("from", &d.old), ("to", &d.new)] {
                    if let (Some(value), Some(object)) = (value, detail.as_object_mut()) {
                        object.insert(key.to_owned(), self.value(value).into());
                    }
                }
            }
        }
        json
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
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

fn names(people: &[crate::diff::PersonRef]) -> String {
    people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}
