//! The write stage: puts a rendered site on disk, all or nothing.
//!
//! The site is written to a temporary sibling folder that replaces the output folder only
//! once every file is written, so a failed build leaves the previous site untouched.
//! mandat marks the folders it creates with a marker file and never replaces or deletes a
//! non-empty folder without it: `--output ~` is refused, not emptied.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::render::{Output, Sink};

/// Present in every output folder mandat wrote.
pub const MARKER: &str = ".mandat-output";
const MARKER_TEXT: &str = "This folder is written by mandat and replaced on every build.\n";

/// Replaces `output` with `files`.
pub fn write_site(output: &Path, files: &Output) -> Result<(), Error> {
    let staging = Staging::new(output)?;
    match files.iter().try_for_each(|(path, bytes)| staging.put(path, bytes.clone())) {
        Ok(()) => staging.commit(),
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// A staging folder beside the output that files are written into as they are rendered,
/// and that replaces the output only when everything succeeded.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
}

impl Staging {
    /// Checks that `output` may be replaced and prepares an empty staging folder.
    pub fn new(output: &Path) -> Result<Staging, Error> {
        ensure_replaceable(output)?;
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let dir = sibling(output, "new");
        clear_own(&dir)?;
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging { dir, output: output.to_path_buf() })
    }

    /// Everything is written: the staging folder becomes the output.
    pub fn commit(self) -> Result<(), Error> {
        swap_in(&self.dir, &self.output)
    }

    /// The build failed: the staging folder (ours) goes, the output stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
        fs::write(&target, bytes).map_err(|e| Error::io(&target, e))
    }
}

/// Refuses an output folder that holds files mandat did not write.
pub fn ensure_replaceable(output: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(output) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(output, e)),
        Ok(meta) if !meta.is_dir() => {
            Err(Error::ForeignOutput { dir: output.to_path_buf(), reason: "it is not a folder" })
        }
        Ok(_) if output.join(MARKER).is_file() => Ok(()),
        Ok(_) => {
            let mut entries = fs::read_dir(output).map_err(|e| Error::io(output, e))?;
            match entries.next() {
                None => Ok(()),
                Some(_) => Err(Error::ForeignOutput {
                    dir: output.to_path_buf(),
                    reason: "it is not empty and was not written by mandat",
                }),
            }
        }
    }
}

/// `.public.mandat-new` beside `public`.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output.file_name().map_or_else(|| OsString::from("output"), OsString::from);
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(format!(".mandat-{what}"));
    output.with_file_name(hidden)
}

/// Removes a leftover staging folder from an interrupted build, if it is ours.
fn clear_own(dir: &Path) -> Result<(), Error> {
    if !dir.exists() {
        return Ok(());
    }
    ensure_replaceable(dir)?;
    fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Moves `staging` to `output`, keeping the old output until the new one is in place.
fn swap_in(staging: &Path, output: &Path) -> Result<(), Error> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| Error::io(output, e));
    }
    let old = sibling(output, "old");
    clear_own(&old)?;
    fs::rename(output, &old).map_err(|e| Error::io(output, e))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(Error::io(output, e));
    }
    // `old` is the previous output, which `ensure_replaceable` vouched for.
    fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Output {
        pages.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())).collect()
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "one"), ("a/b.html", "b")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "b");
        write_site(&out, &site(&[("index.html", "two")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a").exists(), "stale files go");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["public"], "no staging folders left behind");
    }

    #[test]
    fn refuses_a_foreign_folder_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let err = write_site(dir.path(), &site(&[("index.html", "x")])).unwrap_err();
        assert!(matches!(err, Error::ForeignOutput { .. }), "{err}");
        assert_eq!(fs::read_to_string(dir.path().join("precious.txt")).unwrap(), "keep");
        assert!(!dir.path().join("index.html").exists());
    }

    #[test]
    fn an_empty_folder_may_be_used() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("empty");
        fs::create_dir(&out).unwrap();
        write_site(&out, &site(&[("index.html", "x")])).unwrap();
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn a_foreign_staging_folder_is_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = dir.path().join(".public.mandat-new");
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("mine.txt"), "x").unwrap();
        assert!(write_site(&out, &site(&[])).is_err());
        assert!(staging.join("mine.txt").exists());
    }
}
