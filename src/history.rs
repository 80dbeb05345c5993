//! The site's change history: every commit that changed the content, with what it did to
//! the organisation, for `/changes/`, `/changes.xml` and each page's "last changed".
//!
//! Dates come from commits, never from the clock, so builds stay reproducible.

use std::collections::HashMap;
use std::path::Path;

use gix::ObjectId;

use crate::diff::{self, Report};
use crate::error::Error;
use crate::git::{CommitInfo, Repo};
use crate::model::Content;

/// Commits that changed the organisation, newest first.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub entries: Vec<Entry>,
    /// The clone is shallow: older commits exist but cannot be seen.
    pub shallow: bool,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub commit: CommitInfo,
    /// What the commit did; `None` when the content was invalid before or after it.
    pub report: Option<Report>,
}

impl History {
    /// Entries that touched the body or organisation `id`, newest first.
    pub fn of<'h>(&'h self, id: &'h str) -> impl Iterator<Item = &'h Entry> + 'h {
        self.entries.iter().filter(move |e| {
            e.report
                .as_ref()
                .is_some_and(|r| r.entities.iter().any(|c| c.id == id || c.old_id.as_deref() == Some(id)))
        })
    }
}

/// The history of the site at `root`, or `None` when it is not in a git repository.
pub fn collect(root: &Path) -> Result<Option<History>, Error> {
    let Some(repo) = Repo::discover(root)? else { return Ok(None) };
    let (commits, shallow) = repo.content_history()?;
    // Each version's content is read once, however many commits share it.
    let mut versions: HashMap<Option<ObjectId>, Option<Content>> = HashMap::new();
    let mut read = |commit: Option<ObjectId>| -> Result<Option<Content>, Error> {
        let Some(commit) = commit else { return Ok(Some(Content::default())) };
        let key = repo.content_tree(commit)?;
        if let Some(content) = versions.get(&key) {
            return Ok(content.clone());
        }
        let loaded = crate::check(repo.walk(commit)?);
        let content = (!loaded.has_errors()).then_some(loaded.content);
        versions.insert(key, content.clone());
        Ok(content)
    };
    let mut entries = Vec::with_capacity(commits.len());
    for commit in commits {
        let (before, after) = (read(commit.parent)?, read(Some(commit.id))?);
        let report = match (before, after) {
            (Some(before), Some(after)) => {
                let from =
                    commit.parent.map_or_else(|| "(empty)".to_owned(), |p| p.to_hex_with_len(8).to_string());
                Some(diff::compare(&from, &before, &commit.short_id(), &after))
            }
            _ => None,
        };
        // A commit that only reformatted files or touched nothing a reader sees is no
        // change to the organisation: readers of /changes/ would find nothing under it.
        if report.as_ref().is_some_and(Report::is_empty) {
            continue;
        }
        entries.push(Entry { commit, report });
    }
    Ok(Some(History { entries, shallow }))
}
