//! Finds a site's content files: `content/bodies/**/*.md` and `content/organisations/**/*.md`.
//!
//! Symlinks are not followed blindly: a link that resolves to a file inside the site is
//! read, anything else is skipped with a warning, so a stray link can neither pull in
//! files from elsewhere on the machine nor loop.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::Error;
use crate::model::EntityKind;

/// A content file's bytes, not yet decoded.
#[derive(Debug)]
pub struct RawFile {
    /// Relative to the site root, e.g. `content/bodies/koordinationsgruppen.md`.
    pub path: PathBuf,
    pub kind: EntityKind,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct Walked {
    /// Sorted by path.
    pub files: Vec<RawFile>,
    /// What looked like content but was not read, relative to the root: `check` says so.
    pub skipped: Vec<Skipped>,
    /// Files under `content/files/`, relative to it, `/`-separated and sorted: documents
    /// a body links to. Only their names are read here; `build` copies them.
    pub attachments: Vec<String>,
}

/// The folder under `content/` whose files are published as they are, under `/files/`.
pub const ATTACHMENTS: &str = "files";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// A symbolic link (to a file or a folder) that leads outside the site.
    LinkOutside,
    /// A file or folder whose name starts with `.`; git-based commands skip them too.
    Hidden,
    /// A file that looks like Markdown but does not end in `.md` (`x.MD`, `x.markdown`).
    Extension,
}

/// Reads every content file under `root`.
pub fn walk(root: &Path) -> Result<Walked, Error> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::NotASite { root: root.to_path_buf() });
    }
    let canonical_root = fs::canonicalize(root).map_err(|source| Error::io(root, source))?;
    let mut walked = Walked::default();
    let inside = |path: &Path| fs::canonicalize(path).is_ok_and(|target| target.starts_with(&canonical_root));
    // The kinds' folders are listed side by side, and each is read as soon as it is
    // listed: a site with thousands of people lists their folder while the bodies are read.
    let kinds: Vec<Result<Folder, Error>> =
        EntityKind::ALL.par_iter().map(|&kind| read_folder(root, &content, kind, &inside)).collect();
    // The first problem in walk order is reported.
    for kind in kinds {
        let Folder { read, skipped } = kind?;
        walked.skipped.extend(skipped);
        for file in read {
            walked.files.push(file?);
        }
    }
    walked.files.sort_by(|a, b| a.path.cmp(&b.path));
    let files = content.join(ATTACHMENTS);
    walked.attachments = visible_files(root, &files, &inside, &|_| true, &mut walked.skipped)?
        .iter()
        .filter_map(|path| path.strip_prefix(&files).ok())
        .map(|relative| relative.to_string_lossy().replace('\\', "/"))
        .collect();
    Ok(walked)
}

/// One kind's content folder: its files, read or not, in walk order, and what was skipped.
struct Folder {
    read: Vec<Result<RawFile, Error>>,
    skipped: Vec<Skipped>,
}

/// Lists and reads the content files of one kind. Read in parallel: with a cold file
/// cache, thousands of small reads wait on the disk one after another otherwise.
fn read_folder(
    root: &Path,
    content: &Path,
    kind: EntityKind,
    inside: &(dyn Fn(&Path) -> bool + Sync),
) -> Result<Folder, Error> {
    let mut skipped = Vec::new();
    let is_md = |path: &Path| path.extension().is_some_and(|ext| ext == "md");
    let paths = visible_files(root, &content.join(kind.folder()), inside, &is_md, &mut skipped)?;
    let read = paths
        .into_par_iter()
        .map(|path| match fs::read(&path) {
            Ok(bytes) => {
                Ok(RawFile { path: path.strip_prefix(root).unwrap_or(&path).to_path_buf(), kind, bytes })
            }
            Err(source) => Err(Error::io(&path, source)),
        })
        .collect();
    Ok(Folder { read, skipped })
}

/// The files under `dir` that `wanted` accepts, sorted: regular files, and links to files
/// inside the site. What is skipped is recorded for `check`: hidden folders and Markdown
/// files, links that lead outside the site, Markdown named with another extension.
fn visible_files(
    root: &Path,
    dir: &Path,
    inside: &dyn Fn(&Path) -> bool,
    wanted: &dyn Fn(&Path) -> bool,
    skipped: &mut Vec<Skipped>,
) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    if !dir.is_dir() {
        return Ok(found);
    }
    let relative = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    // `content` or `content/bodies` may itself be a link: only into the site.
    if !inside(dir) {
        skipped.push(Skipped { path: relative(dir), why: Skip::LinkOutside });
        return Ok(found);
    }
    let mut entries = WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        let path = entry.path();
        let is_dir = entry.file_type().is_dir();
        if entry.depth() > 0 && is_hidden(path) {
            if is_dir {
                entries.skip_current_dir();
            }
            if is_dir || is_markdown(path) {
                skipped.push(Skipped { path: relative(path), why: Skip::Hidden });
            }
            continue;
        }
        if is_dir {
            continue;
        }
        let linked_folder = entry.path_is_symlink() && fs::metadata(path).is_ok_and(|m| m.is_dir());
        if linked_folder && !inside(path) {
            skipped.push(Skipped { path: relative(path), why: Skip::LinkOutside });
            continue;
        }
        if !wanted(path) {
            if is_markdown(path) {
                skipped.push(Skipped { path: relative(path), why: Skip::Extension });
            }
            continue;
        }
        if entry.path_is_symlink() {
            if !(inside(path) && fs::metadata(path).is_ok_and(|m| m.is_file())) {
                skipped.push(Skipped { path: relative(path), why: Skip::LinkOutside });
                continue;
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        found.push(entry.into_path());
    }
    Ok(found)
}

/// Named like Markdown in any case: `x.md`, `x.MD`, `x.markdown`.
fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    #[test]
    fn finds_markdown_in_both_folders_recursively_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "content/bodies/b.md", "x");
        write(dir.path(), "content/bodies/sub/a.md", "x");
        write(dir.path(), "content/bodies/notes.txt", "x");
        write(dir.path(), "content/bodies/.hidden.md", "x");
        write(dir.path(), "content/organisations/o.md", "x");
        let walked = walk(dir.path()).unwrap();
        let paths: Vec<_> = walked.files.iter().map(|f| (f.path.to_str().unwrap(), f.kind)).collect();
        assert_eq!(
            paths,
            [
                ("content/bodies/b.md", EntityKind::Body),
                ("content/bodies/sub/a.md", EntityKind::Body),
                ("content/organisations/o.md", EntityKind::Organisation),
            ]
        );
    }

    #[test]
    fn no_content_folder_is_not_a_site() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(walk(dir.path()), Err(Error::NotASite { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_site_are_skipped() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.md", "x");
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "content/bodies/real.md", "x");
        write(dir.path(), "other/inside.md", "x");
        let bodies = dir.path().join("content/bodies");
        std::os::unix::fs::symlink(outside.path().join("secret.md"), bodies.join("secret.md")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("other/inside.md"), bodies.join("inside.md")).unwrap();
        let walked = walk(dir.path()).unwrap();
        let paths: Vec<_> = walked.files.iter().map(|f| f.path.to_str().unwrap()).collect();
        assert_eq!(paths, ["content/bodies/inside.md", "content/bodies/real.md"]);
        assert_eq!(
            walked.skipped,
            [Skipped { path: PathBuf::from("content/bodies/secret.md"), why: Skip::LinkOutside }]
        );
    }

    /// A linked folder is held to the same rule as a linked file: `content/bodies` or a
    /// folder inside it that leads outside the site is not read.
    #[cfg(unix)]
    #[test]
    fn linked_folders_out_of_the_site_are_skipped() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "bodies/secret.md", "x");
        write(outside.path(), "more/secret2.md", "x");
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "content/organisations/o.md", "x");
        std::os::unix::fs::symlink(outside.path().join("bodies"), dir.path().join("content/bodies")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("more"),
            dir.path().join("content/organisations/more"),
        )
        .unwrap();
        let walked = walk(dir.path()).unwrap();
        let paths: Vec<_> = walked.files.iter().map(|f| f.path.to_str().unwrap()).collect();
        assert_eq!(paths, ["content/organisations/o.md"]);
        let skipped: Vec<_> = walked.skipped.iter().map(|s| (s.path.to_str().unwrap(), s.why)).collect();
        assert_eq!(
            skipped,
            [("content/bodies", Skip::LinkOutside), ("content/organisations/more", Skip::LinkOutside)]
        );
        // The whole content folder as a link.
        let other = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), other.path().join("content")).unwrap();
        std::fs::create_dir(outside.path().join("organisations")).unwrap();
        assert!(walk(other.path()).unwrap().files.is_empty());
    }

    /// Hidden files and folders are skipped, as the git-based commands skip them, and
    /// `x.MD` is named: both with a warning rather than silently.
    #[test]
    fn hidden_and_misnamed_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "content/bodies/.drafts/d.md", "x");
        write(dir.path(), "content/bodies/.e.md", "x");
        write(dir.path(), "content/bodies/x.MD", "x");
        write(dir.path(), "content/bodies/y.md", "x");
        let walked = walk(dir.path()).unwrap();
        assert_eq!(walked.files.len(), 1);
        let skipped: Vec<_> = walked.skipped.iter().map(|s| (s.path.to_str().unwrap(), s.why)).collect();
        assert_eq!(
            skipped,
            [
                ("content/bodies/.drafts", Skip::Hidden),
                ("content/bodies/.e.md", Skip::Hidden),
                ("content/bodies/x.MD", Skip::Extension)
            ]
        );
    }
}
