//! `/changes/`, `/changes.xml` and each page's own changes, from the git history.

use serde::Serialize;

use super::report::Wording;
use super::strings::Vocabulary;
use super::views::{DateView, LinkView, Linker};
use super::{Files, Nav, Renderer};
use crate::diff::{ChangeKind, Detail, EntityChange, WordOp};
use crate::error::Error;
use crate::history::Entry;

/// What a body or organisation page shows of its history.
#[derive(Debug, Default, Serialize)]
pub struct PageChanges {
    pub last_changed: Option<DateView>,
    pub changes: Vec<ChangeLink>,
}

#[derive(Debug, Serialize)]
pub struct ChangeLink {
    pub href: String,
    pub date: Option<DateView>,
    pub summary: String,
}

#[derive(Debug, Serialize)]
struct ChangesPage {
    entries: Vec<EntryView>,
    /// When the history is cut short: the oldest date it reaches.
    shallow_since: Option<String>,
    feed: bool,
}

#[derive(Debug, Serialize)]
struct EntryView {
    anchor: String,
    /// What changed, for the heading: "Koordinationsgruppen – 1 ændret".
    headline: String,
    /// The commit message, when the site shows them.
    summary: Option<String>,
    body: Option<String>,
    date: Option<DateView>,
    /// RFC 3339, for the feed.
    time: String,
    counts: String,
    valid: bool,
    entities: Vec<EntityView>,
    /// Absolute, for the feed.
    url: String,
}

#[derive(Debug, Serialize)]
struct EntityView {
    title: String,
    link: Option<LinkView>,
    change: String,
    details: Vec<DetailView>,
}

#[derive(Debug, Serialize)]
struct DetailView {
    field: String,
    change: String,
    section: Option<String>,
    from: Option<String>,
    to: Option<String>,
    words: Vec<WordView>,
}

#[derive(Debug, Serialize)]
struct WordView {
    op: &'static str,
    text: String,
}

#[derive(Debug, Serialize)]
struct FeedView {
    id: String,
    updated: String,
    site: String,
    entries: Vec<EntryView>,
}

fn anchor(entry: &Entry) -> String {
    format!("c-{}", entry.commit.short_id())
}

impl Renderer<'_, '_> {
    /// "Last changed" and the list of changes of one page.
    pub(super) fn page_changes(&self, id: &str, linker: &Linker) -> PageChanges {
        let Some(history) = self.site.history else { return PageChanges::default() };
        let changes: Vec<ChangeLink> = history
            .of(id)
            .map(|e| ChangeLink {
                href: format!("{}changes/index.html#{}", linker.root, anchor(e)),
                date: linker.date(e.commit.date()),
                summary: self.headline(e),
            })
            .collect();
        PageChanges { last_changed: changes.first().and_then(|c| c.date.clone()), changes }
    }

    fn entry(&self, entry: &Entry, linker: &Linker, base: &str) -> EntryView {
        let entities = entry
            .report
            .as_ref()
            .map_or_else(Vec::new, |r| r.entities.iter().map(|e| self.entity(e, linker)).collect());
        let messages = self.site.config.history_messages;
        let message = |text: &String| (messages && !text.is_empty()).then(|| text.clone());
        EntryView {
            anchor: anchor(entry),
            headline: self.headline(entry),
            summary: message(&entry.commit.summary),
            body: message(&entry.commit.body),
            date: linker.date(entry.commit.date()),
            time: entry.commit.iso_time(),
            counts: entry
                .report
                .as_ref()
                .map(|r| Wording::new(self.strings).summary_line(r))
                .unwrap_or_default(),
            valid: entry.report.is_some(),
            entities,
            url: format!("{base}changes/#{}", anchor(entry)),
        }
    }

    fn headline(&self, entry: &Entry) -> String {
        let Some(report) = &entry.report else { return self.text("changes_unreadable").to_owned() };
        let summary = Wording::new(self.strings).summary_line(report);
        if report.entities.len() > 3 {
            let mut chars = summary.chars();
            return chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        }
        let titles: Vec<&str> = report.entities.iter().map(|e| e.title.as_str()).collect();
        format!("{} – {summary}", titles.join(", "))
    }

    fn entity(&self, e: &EntityChange, linker: &Linker) -> EntityView {
        let g = self.site.graph;
        let change = match e.change {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        };
        EntityView {
            title: e.title.clone(),
            link: g.find(&e.id).map(|n| linker.link(n)),
            change: self.strings.label(Vocabulary::Changes, change),
            details: e.details.iter().map(|d| self.detail(d)).collect(),
        }
    }

    fn detail(&self, d: &Detail) -> DetailView {
        let wording = Wording::new(self.strings);
        DetailView {
            field: self.strings.label(Vocabulary::Fields, d.field.key()),
            change: wording.change(d.change),
            section: d.section.clone(),
            from: d.old.as_ref().map(|v| wording.value(v)),
            to: d.new.as_ref().map(|v| wording.value(v)),
            words: d
                .words
                .iter()
                .map(|w| WordView {
                    op: match w.op {
                        WordOp::Equal => "equal",
                        WordOp::Delete => "delete",
                        WordOp::Insert => "insert",
                    },
                    text: w.text.clone(),
                })
                .collect(),
        }
    }

    /// `/changes/` always, when there is a history; `/changes.xml` when `base_url` is set,
    /// because a feed needs absolute addresses.
    pub(super) fn changes(&self, out: &Files) -> Result<(), Error> {
        let Some(history) = self.site.history else { return Ok(()) };
        let base = self.site.config.base_url();
        let linker = self.linker(1);
        let base_for_ids = base.clone().unwrap_or_default();
        let entries: Vec<EntryView> =
            history.entries.iter().map(|e| self.entry(e, &linker, &base_for_ids)).collect();
        let shallow_since = history
            .shallow
            .then(|| history.entries.last().and_then(|e| e.commit.date()).map(|d| self.strings.date(d)))
            .flatten();
        let page = ChangesPage { entries, shallow_since, feed: base.is_some() };
        out.insert(
            "changes/index.html".into(),
            self.page("changes.html", "changes/index.html", Nav::Changes, None, &page)?,
        )?;
        if let Some(base) = base {
            let feed_linker = Linker { root: base.clone(), ..self.linker(0) };
            let feed = FeedView {
                id: format!("{base}changes/"),
                updated: history
                    .entries
                    .first()
                    .map(|e| e.commit.iso_time())
                    .unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
                site: base.clone(),
                entries: history.entries.iter().map(|e| self.entry(e, &feed_linker, &base)).collect(),
            };
            out.insert(
                "changes.xml".into(),
                self.page("changes.xml", "changes.xml", Nav::None, None, &feed)?,
            )?;
        }
        Ok(())
    }
}
