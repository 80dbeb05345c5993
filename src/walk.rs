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
    /// Symlinks that do not resolve to a file inside the site, relative to the root.
    pub skipped_links: Vec<PathBuf>,
}

/// Reads every content file under `root`.
pub fn walk(root: &Path) -> Result<Walked, Error> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::NotASite { root: root.to_path_buf() });
    }
    let canonical_root = fs::canonicalize(root).map_err(|source| Error::io(root, source))?;
    let mut walked = Walked::default();
    let mut found = Vec::new();
    for kind in EntityKind::ALL {
        let dir = content.join(kind.folder());
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&dir).to_path_buf();
                Error::io(&path, e.into())
            })?;
            let path = entry.path();
            if is_hidden(path) || path.extension().is_none_or(|ext| ext != "md") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            if entry.path_is_symlink() {
                match fs::canonicalize(path) {
                    Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                    _ => {
                        walked.skipped_links.push(relative);
                        continue;
                    }
                }
            } else if !entry.file_type().is_file() {
                continue;
            }
            found.push((entry.into_path(), relative, kind));
        }
    }
    // Read in parallel: with a cold file cache, thousands of small reads wait on the disk
    // one after another otherwise. The first unreadable file in walk order is reported.
    let read: Vec<Result<RawFile, Error>> = found
        .into_par_iter()
        .map(|(path, relative, kind)| match fs::read(&path) {
            Ok(bytes) => Ok(RawFile { path: relative, kind, bytes }),
            Err(source) => Err(Error::io(&path, source)),
        })
        .collect();
    walked.files = read.into_iter().collect::<Result<_, _>>()?;
    walked.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walked)
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
        assert_eq!(walked.skipped_links, [PathBuf::from("content/bodies/secret.md")]);
    }
}
