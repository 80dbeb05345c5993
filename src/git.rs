//! Reading a site's content at a git revision, and the commits that changed it (gix).
//!
//! Revisions are read straight from the object database, never checked out, so `diff`
//! and the site's history work in any state of the working tree. A revision's content
//! comes out as a [`Walked`], the same thing the filesystem walk produces, so parse and
//! validate run on it unchanged.

use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::bstr::ByteSlice;

use crate::error::Error;
use crate::model::EntityKind;
use crate::walk::{RawFile, Walked};

/// A git repository holding a site, maybe in a subfolder.
pub struct Repo {
    repo: gix::Repository,
    /// The site's folder relative to the repository's top, e.g. `` or `docs/org`.
    prefix: PathBuf,
}

/// A commit, as the site shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: ObjectId,
    /// Seconds since the epoch and the committer's offset from UTC in seconds.
    pub time: i64,
    pub offset: i32,
    /// The first line of the message.
    pub summary: String,
    /// The rest of the message.
    pub body: String,
    pub parent: Option<ObjectId>,
}

impl CommitInfo {
    pub fn short_id(&self) -> String {
        self.id.to_hex_with_len(8).to_string()
    }

    /// `2024-05-01T10:20:30+02:00`, in the committer's time zone.
    pub fn iso_time(&self) -> String {
        gix::date::Time::new(self.time, self.offset).format_or_unix(gix::date::time::format::ISO8601_STRICT)
    }

    /// The calendar day of the commit in the committer's time zone.
    pub fn date(&self) -> Option<crate::model::Date> {
        let iso = self.iso_time();
        let (y, m, d) =
            (iso.get(0..4)?.parse().ok()?, iso.get(5..7)?.parse().ok()?, iso.get(8..10)?.parse().ok()?);
        crate::model::Date::new(y, m, d).ok()
    }
}

fn git_error(what: impl std::fmt::Display) -> Error {
    Error::Git(what.to_string())
}

impl Repo {
    /// The repository around `site_root`, or `None` if the site is not in one.
    pub fn discover(site_root: &Path) -> Result<Option<Repo>, Error> {
        let root = std::fs::canonicalize(site_root).map_err(|e| Error::io(site_root, e))?;
        let repo = match gix::discover(&root) {
            Ok(repo) => repo,
            // No repository at all is normal; one that cannot be opened is an error.
            Err(_) if !root.ancestors().any(|a| a.join(".git").exists()) => return Ok(None),
            Err(e) => return Err(git_error(e)),
        };
        let Some(workdir) = repo.workdir().and_then(|w| std::fs::canonicalize(w).ok()) else {
            return Ok(None);
        };
        let prefix = root.strip_prefix(&workdir).unwrap_or(Path::new("")).to_path_buf();
        Ok(Some(Repo { repo, prefix }))
    }

    /// The commit a revision names (`HEAD`, `main`, `origin/main`, `HEAD~2`, an id).
    pub fn resolve(&self, revision: &str) -> Result<ObjectId, Error> {
        let id =
            self.repo.rev_parse_single(revision).map_err(|_| Error::Git(self.explain_unknown(revision)))?;
        let commit = id.object().map_err(git_error)?.peel_to_commit().map_err(git_error)?;
        Ok(commit.id)
    }

    /// Why `revision` names no commit, in the user's words rather than gix's.
    fn explain_unknown(&self, revision: &str) -> String {
        let back = revision.rsplit_once('~').and_then(|(base, n)| {
            let n: usize = if n.is_empty() { 1 } else { n.parse().ok()? };
            Some((base, n))
        });
        if let Some((base, n)) = back
            && let Ok(start) = self.repo.rev_parse_single(base)
        {
            let before = self
                .repo
                .rev_walk([start.detach()])
                .first_parent_only()
                .all()
                .map_or(0, |walk| walk.take_while(Result::is_ok).count().saturating_sub(1));
            let commits = if before == 1 { "1 commit" } else { &format!("{before} commits") };
            let shallow =
                if self.is_shallow() { " (this is a shallow clone: fetch more history)" } else { "" };
            return format!(
                "`{revision}` goes back {n} commits, but the history has only {commits} before `{base}`{shallow}"
            );
        }
        format!(
            "`{revision}` is not a branch, tag or commit of this repository (see `git log --oneline` for the commits)"
        )
    }

    /// The tree id of the site's `content/` at `commit`, to tell cheaply whether the
    /// content changed between two commits.
    pub fn content_tree(&self, commit: ObjectId) -> Result<Option<ObjectId>, Error> {
        let tree = self.repo.find_commit(commit).map_err(git_error)?.tree().map_err(git_error)?;
        let entry = tree.lookup_entry_by_path(self.prefix.join("content")).map_err(git_error)?;
        Ok(entry.map(|e| e.object_id()))
    }

    /// The content files at `commit`, like [`crate::walk::walk`] reads them from disk.
    pub fn walk(&self, commit: ObjectId) -> Result<Walked, Error> {
        let tree = self.repo.find_commit(commit).map_err(git_error)?.tree().map_err(git_error)?;
        let mut walked = Walked::default();
        for kind in EntityKind::ALL {
            let folder = Path::new("content").join(kind.folder());
            for (path, blob) in self.blobs_under(&tree, &folder)? {
                if path.extension().is_some_and(|ext| ext == "md") {
                    let blob = self.repo.find_blob(blob).map_err(git_error)?;
                    walked.files.push(RawFile { path, kind, bytes: blob.data.clone() });
                }
            }
        }
        walked.files.sort_by(|a, b| a.path.cmp(&b.path));
        let files = Path::new("content").join(crate::walk::ATTACHMENTS);
        walked.attachments = self
            .blobs_under(&tree, &files)?
            .into_iter()
            .filter_map(|(path, _)| {
                path.strip_prefix(&files).ok().map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        walked.attachments.sort();
        Ok(walked)
    }

    /// Every file under `folder` (from the site's root) in `tree`, at any depth, skipping
    /// hidden names as the filesystem walk does: (path from the site's root, blob).
    fn blobs_under(&self, tree: &gix::Tree<'_>, folder: &Path) -> Result<Vec<(PathBuf, ObjectId)>, Error> {
        let mut out = Vec::new();
        let Some(entry) = tree.lookup_entry_by_path(self.prefix.join(folder)).map_err(git_error)? else {
            return Ok(out);
        };
        if !entry.mode().is_tree() {
            return Ok(out);
        }
        let mut pending = vec![(folder.to_path_buf(), entry.object_id())];
        while let Some((folder, id)) = pending.pop() {
            for entry in self.repo.find_tree(id).map_err(git_error)?.iter() {
                let entry = entry.map_err(git_error)?;
                let name = entry.filename().to_str_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let path = folder.join(&name);
                if entry.mode().is_tree() {
                    pending.push((path, entry.object_id()));
                } else if entry.mode().is_blob() {
                    out.push((path, entry.object_id()));
                }
            }
        }
        Ok(out)
    }

    /// Whether this is a shallow clone, whose older commits are missing.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow().unwrap_or(false)
    }

    /// Commits reachable from `HEAD` that changed the site's content, newest first, and
    /// whether the history is cut short (a shallow clone).
    pub fn content_history(&self) -> Result<(Vec<CommitInfo>, bool), Error> {
        let head = match self.repo.head_id() {
            Ok(id) => id.detach(),
            // A repository without commits has no history yet.
            Err(_) => return Ok((Vec::new(), false)),
        };
        let walk = self
            .repo
            .rev_walk([head])
            .sorting(gix::revision::walk::Sorting::ByCommitTime(Default::default()))
            .first_parent_only()
            .all()
            .map_err(git_error)?;
        let mut out = Vec::new();
        for info in walk {
            let info = info.map_err(git_error)?;
            let commit = info.object().map_err(git_error)?;
            let parent = commit.parent_ids().next().map(|p| p.detach());
            let here = self.content_tree(info.id)?;
            let before = match parent {
                // A parent cut off by a shallow clone cannot be read.
                Some(p) if self.repo.find_commit(p).is_ok() => self.content_tree(p)?,
                _ => None,
            };
            if here == before {
                continue;
            }
            let time = commit.time().map_err(git_error)?;
            // Commit messages reach pages and the Atom feed: control characters (which XML
            // forbids) and noncharacters are dropped.
            let message: String = commit
                .message_raw_sloppy()
                .to_str_lossy()
                .chars()
                .filter(|&c| c != '\r' && !crate::diagnostic::is_unprintable(c))
                .collect();
            let (summary, body) = message.split_once('\n').unwrap_or((&message, ""));
            out.push(CommitInfo {
                id: info.id,
                time: time.seconds,
                offset: time.offset,
                summary: summary.trim().to_owned(),
                body: body.trim().to_owned(),
                parent: parent.filter(|p| self.repo.find_commit(*p).is_ok()),
            });
        }
        let shallow = self.repo.is_shallow().map_err(git_error)?;
        Ok((out, shallow))
    }
}

/// The integration tests' git helper, shared with the unit tests below.
#[cfg(test)]
#[path = "../tests/common/git.rs"]
mod test_repo;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Runs git in `dir` with a fixed identity and date.
    pub(crate) fn git(dir: &Path, args: &[&str]) {
        test_repo::git_at(dir, args, "2024-05-01T10:00:00+02:00");
    }

    #[test]
    fn reads_content_at_revisions_and_the_commits_that_changed_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        std::fs::create_dir_all(d.join("site/content/bodies/sub")).unwrap();
        std::fs::write(d.join("site/content/bodies/a.md"), "+++\ntitle = \"A\"\n+++\n").unwrap();
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "Add A\n\nThe first body."]);
        std::fs::write(d.join("README"), "not content").unwrap();
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "Docs only"]);
        std::fs::write(d.join("site/content/bodies/sub/b.md"), "+++\ntitle = \"B\"\n+++\n").unwrap();
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "Add B"]);

        let repo = Repo::discover(&d.join("site")).unwrap().expect("a repository");
        let head = repo.resolve("HEAD").unwrap();
        let files: Vec<_> = repo.walk(head).unwrap().files.into_iter().map(|f| f.path).collect();
        assert_eq!(files, [PathBuf::from("content/bodies/a.md"), PathBuf::from("content/bodies/sub/b.md")]);
        assert_eq!(repo.walk(repo.resolve("HEAD~2").unwrap()).unwrap().files.len(), 1);
        assert!(repo.resolve("nope").is_err());

        let (history, shallow) = repo.content_history().unwrap();
        assert!(!shallow);
        let summaries: Vec<_> = history.iter().map(|c| c.summary.as_str()).collect();
        assert_eq!(summaries, ["Add B", "Add A"], "the docs-only commit is left out");
        assert_eq!(history[1].body, "The first body.");
        assert_eq!(history[1].parent, None);
        assert_eq!(history[0].iso_time(), "2024-05-01T10:00:00+02:00");
    }

    #[test]
    fn a_site_outside_git_has_no_repository() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Repo::discover(dir.path()).unwrap().is_none());
    }
}
