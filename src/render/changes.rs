//! `/changes/`, `/changes.xml` and each page's own changes, from the git history.

use serde::Serialize;

use super::strings::Vocabulary;
use super::views::{DateView, LinkView, Linker};
use super::{Files, Renderer};
use crate::Error;
use crate::diff::{ChangeKind, Detail, EntityChange, Report, WordOp};
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
    short_id: String,
    summary: String,
    body: String,
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
                summary: e.commit.summary.clone(),
            })
            .collect();
        PageChanges { last_changed: changes.first().and_then(|c| c.date.clone()), changes }
    }

    fn counts(&self, report: &Report) -> String {
        let c = report.summary;
        [(c.added, "added"), (c.removed, "removed"), (c.renamed, "renamed"), (c.changed, "changed")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {}", self.strings.label(Vocabulary::Changes, what).to_lowercase()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn entry(&self, entry: &Entry, linker: &Linker, base: &str) -> EntryView {
        let entities = entry
            .report
            .as_ref()
            .map_or_else(Vec::new, |r| r.entities.iter().map(|e| self.entity(e, linker)).collect());
        EntryView {
            anchor: anchor(entry),
            short_id: entry.commit.short_id(),
            summary: entry.commit.summary.clone(),
            body: entry.commit.body.clone(),
            date: linker.date(entry.commit.date()),
            time: entry.commit.iso_time(),
            counts: entry.report.as_ref().map(|r| self.counts(r)).unwrap_or_default(),
            valid: entry.report.is_some(),
            entities,
            url: format!("{base}changes/#{}", anchor(entry)),
        }
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
        DetailView {
            field: self.strings.label(Vocabulary::Fields, &d.field),
            change: self.strings.label(Vocabulary::Changes, d.change),
            section: d.section.clone(),
            from: d.from.clone(),
            to: d.to.clone(),
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
        out.insert("changes/index.html".into(), self.page("changes.html", 1, "changes", &page)?)?;
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
            out.insert("changes.xml".into(), self.page("changes.xml", 0, "", &feed)?)?;
        }
        Ok(())
    }
}
