//! The write stage: puts a rendered site on disk, all or nothing.
//!
//! The site is written to a staging folder beside the output that replaces the output only
//! once every file is written, so a failed build leaves the previous site untouched.
//! The replaced site is kept as a spare (`.public.mandat-old`) that the next build reuses
//! as its staging folder: a file whose bytes did not change is left alone, and only the
//! files that changed or went are replaced or removed. Rebuilds write only what changed,
//! unchanged files keep their modification time (so `rsync` deploys copy only what
//! changed), and no build deletes and recreates every file — on some file systems that
//! costs more than rendering them (ext4 without a journal scans recently deleted inodes on
//! every create, and `discard` mounts trim on every delete).
//! mandat marks the folders it creates with a marker file and never replaces or deletes a
//! non-empty folder without it: `--output ~` is refused, not emptied.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashSet;

use crate::error::Error;
use crate::render::{Output, Sink, Writer};

/// Present in every output folder mandat wrote.
pub const MARKER: &str = ".mandat-output";
const MARKER_TEXT: &str = "This folder is written by mandat and replaced on every build.\n";
/// Keeps the staging folder and the spare out of `git status`; never part of the site.
const IGNORE: &str = ".gitignore";
const IGNORE_TEXT: &str = "# mandat's working copy of the site; safe to delete.\n*\n";

/// What a build changed on disk, when it reused an earlier build's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// Files written because they were new or their bytes changed.
    pub written: usize,
    /// Files of the earlier build that this one did not make.
    pub removed: usize,
}

/// Replaces `output` with `files`.
pub fn write_site(output: &Path, files: &Output) -> Result<Option<Changed>, Error> {
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
    /// Held until the build is committed or abandoned: two builds of one output at once
    /// would share the staging folder and publish a mix of both.
    _lock: fs::File,
    /// Whether `dir` holds an earlier build, whose files this build did not write must go.
    reused: bool,
    /// Paths written by this build, relative to `dir`; kept only when `dir` is reused,
    /// because only then can it hold files the build did not write.
    written: Mutex<HashSet<PathBuf>>,
    /// Files whose bytes were already there.
    unchanged: AtomicUsize,
    /// Numbers the files streamed into a reused folder while they are written.
    parts: AtomicUsize,
    /// Folders (relative to `dir`) that files were put into.
    folders: Mutex<FxHashSet<String>>,
}

impl Staging {
    /// Checks that `output` may be replaced and prepares the staging folder: the folder of
    /// an interrupted build, the spare, or a new one.
    pub fn new(output: &Path) -> Result<Staging, Error> {
        let output = &resolve(output)?;
        let lock = lock(output)?;
        recover(output)?;
        ensure_replaceable(output)?;
        let dir = sibling(output, "new");
        let spare = sibling(output, "old");
        let reused = if is_own(&dir)? {
            true
        } else if is_own(&spare)? {
            fs::rename(&spare, &dir).map_err(|e| Error::io(&spare, e))?;
            true
        } else {
            fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            false
        };
        fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| Error::io(&dir, e))?;
        fs::write(dir.join(IGNORE), IGNORE_TEXT).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            _lock: lock,
            reused,
            written: Mutex::default(),
            unchanged: AtomicUsize::new(0),
            parts: AtomicUsize::new(0),
            folders: Mutex::default(),
        })
    }

    /// Everything is written: what the build did not write goes, and the staging folder
    /// becomes the output. Says what changed when an earlier build was reused.
    pub fn commit(self) -> Result<Option<Changed>, Error> {
        let written = self.written.into_inner().unwrap_or_else(|p| p.into_inner());
        let changed = if self.reused {
            let removed = remove_unwritten(&self.dir, &written)?;
            Some(Changed { written: written.len().saturating_sub(self.unchanged.into_inner()), removed })
        } else {
            // Still ours unless the theme ships a `.gitignore` of its own.
            let ignore = self.dir.join(IGNORE);
            if holds(&ignore, IGNORE_TEXT.as_bytes()) {
                fs::remove_file(&ignore).map_err(|e| Error::io(&ignore, e))?;
            }
            None
        };
        swap_in(&self.dir, &self.output)?;
        Ok(changed)
    }

    /// The build failed: the staging folder (ours) goes, the output stays as it was.
    pub fn abandon(self) {
        let _ = remove_own(&self.dir);
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        let target = self.dir.join(path);
        if self.reused {
            self.written.lock().unwrap_or_else(|p| p.into_inner()).insert(PathBuf::from(path));
            if holds(&target, &bytes) {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            make_room(&self.dir, &target).map_err(|e| Error::io(&target, e))?;
        }
        self.make_folder_of(path).and_then(|()| fs::write(&target, &bytes)).map_err(|e| Error::io(&target, e))
    }

    fn put_with(&self, path: &str, write: &mut Writer) -> Result<(), Error> {
        let target = self.dir.join(path);
        if !self.reused {
            self.make_folder_of(path).map_err(|e| Error::io(&target, e))?;
            return write_streamed(&target, write);
        }
        self.written.lock().unwrap_or_else(|p| p.into_inner()).insert(PathBuf::from(path));
        // Written beside the earlier file and compared with it once complete; a file left
        // behind by an interrupted build is not one this build wrote, so it goes at commit.
        let part = self.parts.fetch_add(1, Ordering::Relaxed);
        let fresh = self.dir.join(format!(".mandat-part-{part}"));
        let result = write_streamed(&fresh, write).and_then(|()| {
            if same_files(&fresh, &target) {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                fs::remove_file(&fresh).map_err(|e| Error::io(&fresh, e))
            } else {
                make_room(&self.dir, &target)
                    .and_then(|()| self.make_folder_of(path))
                    .and_then(|()| fs::rename(&fresh, &target))
                    .map_err(|e| Error::io(&target, e))
            }
        });
        if result.is_err() {
            let _ = fs::remove_file(&fresh);
        }
        result
    }
}

impl Staging {
    /// Makes the folder a file of the site goes into, unless this build made or found it
    /// already. Made before the file is opened, not after an open failed: most pages are
    /// the first file of a folder of their own, and on tmpfs a failed open costs a third
    /// of writing the page.
    fn make_folder_of(&self, path: &str) -> io::Result<()> {
        let Some((folder, _)) = path.rsplit_once('/') else { return Ok(()) };
        let known = || self.folders.lock().unwrap_or_else(|p| p.into_inner());
        if known().contains(folder) {
            return Ok(());
        }
        let at = self.dir.join(folder);
        match fs::create_dir(&at) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(&at)?,
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        known().insert(folder.to_owned());
        Ok(())
    }
}

fn write_streamed(target: &Path, write: &mut Writer) -> Result<(), Error> {
    let file = fs::File::create(target).map_err(|e| Error::io(target, e))?;
    let mut out = io::BufWriter::with_capacity(256 * 1024, file);
    write(&mut out)?;
    out.flush().map_err(|e| Error::io(target, e))
}

/// Whether `fresh` and `earlier` are plain files with the same bytes.
fn same_files(fresh: &Path, earlier: &Path) -> bool {
    fs::metadata(fresh).is_ok_and(|m| is_file_of(earlier, m.len()))
        && matches!((fs::File::open(fresh), fs::File::open(earlier)), (Ok(a), Ok(b)) if same_streams(&a, &b))
}

/// Whether `path` is a plain file holding exactly `bytes`. Read in pieces, because the
/// largest files (the search index) are tens of megabytes.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    is_file_of(path, bytes.len() as u64) && fs::File::open(path).is_ok_and(|file| same_streams(file, bytes))
}

/// Whether `path` is a plain file of `len` bytes.
fn is_file_of(path: &Path, len: u64) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == len)
}

/// Whether `a` and `b` give the same bytes, compared a piece at a time.
fn same_streams(mut a: impl io::Read, mut b: impl io::Read) -> bool {
    let (mut x, mut y) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        match a.read(&mut x) {
            Ok(0) => return b.read(&mut y).is_ok_and(|n| n == 0),
            Ok(n) if b.read_exact(&mut y[..n]).is_ok() && x[..n] == y[..n] => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            _ => return false,
        }
    }
}

/// Clears the way for a new file at `target` in a reused folder: whatever an earlier build
/// left there goes, and so does a file where one of its folders belongs. A changed file is
/// removed, not overwritten, because a copy of an earlier site may hard-link it.
fn make_room(root: &Path, target: &Path) -> io::Result<()> {
    let relative = target.strip_prefix(root).map_err(io::Error::other)?;
    let mut at = root.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        at.push(component);
        let last = components.peek().is_none();
        let meta = match fs::symlink_metadata(&at) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
            Ok(meta) => meta,
        };
        if !last && meta.is_dir() {
            continue;
        }
        let removed = if meta.is_dir() { fs::remove_dir_all(&at) } else { fs::remove_file(&at) };
        // Files render in parallel: another file of the same new folder may have removed
        // what was in the way, and even made the folder, since we looked.
        match removed {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(_) if !last && fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) => continue,
            result => return result,
        }
    }
    Ok(())
}

/// Removes from a reused staging folder every file and folder this build did not write;
/// returns how many files went (the marker and the `.gitignore` of the spare not counted).
fn remove_unwritten(dir: &Path, written: &HashSet<PathBuf>) -> Result<usize, Error> {
    let folders: HashSet<&Path> =
        written.iter().flat_map(|p| p.ancestors().skip(1)).filter(|p| !p.as_os_str().is_empty()).collect();
    let mut removed = 0;
    let mut entries = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let result = if entry.file_type().is_dir() {
            if folders.contains(relative) {
                continue;
            }
            entries.skip_current_dir();
            removed += walkdir::WalkDir::new(entry.path())
                .into_iter()
                .flatten()
                .filter(|e| !e.file_type().is_dir())
                .count();
            fs::remove_dir_all(entry.path())
        } else {
            if relative == Path::new(MARKER) || written.contains(relative) {
                continue;
            }
            if relative != Path::new(IGNORE) {
                removed += 1;
            }
            fs::remove_file(entry.path())
        };
        result.map_err(|e| Error::io(entry.path(), e))?;
    }
    Ok(removed)
}

/// Refuses an output folder that holds files mandat did not write.
pub fn ensure_replaceable(output: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
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

/// Whether `dir` exists as a folder mandat may reuse or remove; an error if it exists and
/// is not.
fn is_own(dir: &Path) -> Result<bool, Error> {
    if fs::symlink_metadata(dir).is_err() {
        return Ok(false);
    }
    ensure_replaceable(dir).map(|()| true)
}

/// Moves `staging` to `output`; the previous output becomes the spare.
fn swap_in(staging: &Path, output: &Path) -> Result<(), Error> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(staging, output).map_err(|e| Error::io(output, e));
    }
    let spare = sibling(output, "old");
    // Normally the spare became the staging folder; one left by an older mandat goes.
    if is_own(&spare)? {
        remove_own(&spare).map_err(|e| Error::io(&spare, e))?;
    }
    exchange(staging, output, &spare)?;
    // Only keeps the spare out of `git status`: the site is in place either way.
    let _ = fs::write(spare.join(IGNORE), IGNORE_TEXT);
    Ok(())
}

/// Puts `staging` in the place of `output`, and the old output at `spare`. On Linux the
/// two folders trade places in one step (`renameat2` with `RENAME_EXCHANGE`), so there is
/// never a moment without a site; the old one then moves to `spare`.
#[cfg(target_os = "linux")]
fn exchange(staging: &Path, output: &Path, spare: &Path) -> Result<(), Error> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE) {
        Ok(()) => fs::rename(staging, spare).map_err(|e| Error::io(staging, e)),
        // A file system without the exchange: the two renames below.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {
            exchange_in_two_steps(staging, output, spare)
        }
        Err(e) => Err(Error::io(output, e.into())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(staging: &Path, output: &Path, spare: &Path) -> Result<(), Error> {
    exchange_in_two_steps(staging, output, spare)
}

/// The old output moves to `spare`, then the staging folder to `output`. Interrupted
/// between the two, `output` is missing until [`recover`] puts the spare back.
fn exchange_in_two_steps(staging: &Path, output: &Path, spare: &Path) -> Result<(), Error> {
    fs::rename(output, spare).map_err(|e| Error::io(output, e))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(spare, output);
        return Err(Error::io(output, e));
    }
    Ok(())
}

/// A build interrupted between the two renames of [`exchange_in_two_steps`] left no
/// output but the previous site as the spare: it goes back in place.
fn recover(output: &Path) -> Result<(), Error> {
    let spare = sibling(output, "old");
    if fs::symlink_metadata(output).is_err() && is_own(&spare)? {
        fs::rename(&spare, output).map_err(|e| Error::io(&spare, e))?;
        eprintln!("note: put back {}, which an interrupted build had moved aside", output.display());
    }
    Ok(())
}

/// The output as an absolute path, so that `--output .` names a folder with a parent to
/// put the staging folder in (and no rename is asked to replace `.`).
fn resolve(output: &Path) -> Result<PathBuf, Error> {
    if let Ok(path) = fs::canonicalize(output) {
        return Ok(path);
    }
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let parent = fs::canonicalize(&parent).map_err(|e| Error::io(&parent, e))?;
    match output.file_name() {
        Some(name) => Ok(parent.join(name)),
        None => Err(Error::ForeignOutput { dir: output.to_path_buf(), reason: "it names no folder" }),
    }
}

/// An exclusive lock on the output, held by one build at a time; a second build waits
/// for the first to finish, and says so.
fn lock(output: &Path) -> Result<fs::File, Error> {
    let path = sibling(output, "lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another build of {} to finish …", output.display());
            file.lock().map_err(|e| Error::io(&path, e))?;
            Ok(file)
        }
        Err(fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// Removes a folder mandat made, its marker last: if something in it cannot be removed,
/// the marker stays, and the next build knows the leftovers as its own and clears them.
fn remove_own(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() { fs::remove_dir_all(&path)? } else { fs::remove_file(&path)? }
    }
    fs::remove_dir_all(dir)
}

/// Writes a file the user keeps (a mandate, `mandat.toml`) so that it is never seen half
/// written: the bytes go to a temporary file beside it, which then takes its place in one
/// rename. Interrupted, the old file stays whole and the temporary file is removed. A
/// replaced file keeps its permissions; `replace: false` fails if the file exists.
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new().prefix(".mandat-").suffix(".tmp").tempfile_in(dir)?;
    file.write_all(bytes)?;
    // A temporary file is private to its owner; the file it becomes is not.
    match fs::metadata(path) {
        Ok(meta) => fs::set_permissions(file.path(), meta.permissions())?,
        #[cfg(unix)]
        Err(_) => {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(file.path(), fs::Permissions::from_mode(0o644))?
        }
        #[cfg(not(unix))]
        Err(_) => {}
    }
    file.as_file().sync_all()?;
    if replace { file.persist(path) } else { file.persist_noclobber(path) }.map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn atomic_writes_keep_permissions_and_never_clobber_when_told() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        super::write_atomically(&path, b"one", false).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert!(super::write_atomically(&path, b"two", false).is_err(), "never overwrites");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        super::write_atomically(&path, b"three", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    use super::*;

    fn site(pages: &[(&str, &str)]) -> Output {
        pages.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())).collect()
    }

    /// Entries of a folder, sorted, hidden ones included.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Killed between the two renames of a swap (where the platform has no exchange), a
    /// build leaves no output and the old site as the spare: the next build puts it back
    /// before anything else.
    #[test]
    fn a_site_moved_aside_by_an_interrupted_swap_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "one")])).unwrap();
        fs::rename(&out, dir.path().join(".public.mandat-old")).unwrap();
        let staging = Staging::new(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one", "put back at once");
        staging.abandon();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
    }

    /// A failed cleanup (here of a file that cannot be deleted) leaves the marker, so the
    /// next build knows the folder as its own and goes on, instead of refusing it forever.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_cleanup_does_not_block_later_builds() {
        let chattr = |flag: &str, path: &Path| {
            std::process::Command::new("chattr").arg(flag).arg(path).status().is_ok_and(|s| s.success())
        };
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out).unwrap();
        staging.put("a/index.html", b"a".to_vec()).unwrap();
        staging.put("z/index.html", b"z".to_vec()).unwrap();
        let stuck = dir.path().join(".public.mandat-new/m/stuck");
        fs::create_dir_all(stuck.parent().unwrap()).unwrap();
        fs::write(&stuck, "x").unwrap();
        // An immutable file cannot be removed even by root; without chattr there is
        // nothing to test.
        if !chattr("+i", &stuck) {
            eprintln!("chattr +i is not available here; skipped");
            return;
        }
        staging.abandon();
        let marker_kept = dir.path().join(".public.mandat-new").join(MARKER).is_file();
        assert!(chattr("-i", &stuck));
        assert!(marker_kept, "the marker goes last, so it is still there");
        write_site(&out, &site(&[("index.html", "one")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
    }

    /// `--output .` in an empty folder: the folder itself becomes the site.
    #[test]
    fn the_output_may_be_the_current_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        fs::create_dir(&out).unwrap();
        write_site(&out.join("."), &site(&[("index.html", "one")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
        assert!(!out.join(".output.mandat-new").exists() && !dir.path().join(".site.mandat-new").exists());
    }

    /// A second build of the same output waits for the first: each staging folder belongs
    /// to one build at a time.
    #[test]
    fn builds_of_one_output_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Staging::new(&out).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let second = {
            let out = out.clone();
            std::thread::spawn(move || {
                let staging = Staging::new(&out).unwrap();
                tx.send(()).unwrap();
                staging.put("index.html", b"second".to_vec()).unwrap();
                staging.commit().unwrap();
            })
        };
        assert!(rx.recv_timeout(std::time::Duration::from_millis(300)).is_err(), "the second build waits");
        first.put("index.html", b"first".to_vec()).unwrap();
        first.commit().unwrap();
        second.join().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "second");
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "one"), ("a/b.html", "b")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "b");
        assert_eq!(names(dir.path()), [".public.mandat-lock", "public"], "no staging folder left behind");
        write_site(&out, &site(&[("index.html", "two")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a").exists(), "stale files go");
        assert_eq!(names(&out), [MARKER, "index.html"], "only the site: no .gitignore");
        assert_eq!(
            names(dir.path()),
            [".public.mandat-lock", ".public.mandat-old", "public"],
            "the previous site is the spare"
        );
        let spare = dir.path().join(".public.mandat-old");
        assert_eq!(
            fs::read_to_string(spare.join(IGNORE)).unwrap(),
            IGNORE_TEXT,
            "git does not see the spare"
        );
    }

    #[test]
    fn a_rebuild_reuses_the_spare_and_removes_what_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = site(&[("index.html", "home"), ("a/b.html", "b"), ("a/c/d.html", "d"), ("e.html", "e")]);
        write_site(&out, &first).unwrap();
        // The third build reuses the first build's folder: its unchanged files stay, the
        // changed one is replaced, and files and folders the build did not write go.
        assert_eq!(write_site(&out, &first).unwrap(), None, "no spare to reuse yet");
        let changed = write_site(
            &out,
            &site(&[("index.html", "home, changed"), ("a/b.html", "b"), ("new/f.html", "f")]),
        )
        .unwrap();
        assert_eq!(changed, Some(Changed { written: 2, removed: 2 }), "a/b.html was already there");
        assert_eq!(names(&out), [MARKER, "a", "index.html", "new"]);
        assert_eq!(names(&out.join("a")), ["b.html"]);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home, changed");
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "b");
        assert_eq!(fs::read_to_string(out.join("new/f.html")).unwrap(), "f");
        assert_eq!(names(dir.path()), [".public.mandat-lock", ".public.mandat-old", "public"]);
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_left_alone_and_changed_ones_are_new_files() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let inode = |path: &str| fs::metadata(out.join(path)).unwrap().ino();
        let first = site(&[("same.html", "same"), ("changes.html", "old")]);
        write_site(&out, &first).unwrap();
        let (same, changes) = (inode("same.html"), inode("changes.html"));
        // A deploy copy that hard-links the published files must not change under it.
        let copy = dir.path().join("deployed.html");
        fs::hard_link(out.join("changes.html"), &copy).unwrap();
        write_site(&out, &first).unwrap();
        write_site(&out, &site(&[("same.html", "same"), ("changes.html", "new")])).unwrap();
        assert_eq!(inode("same.html"), same, "an unchanged file is not rewritten");
        assert_ne!(inode("changes.html"), changes);
        assert_eq!(fs::read_to_string(out.join("changes.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(&copy).unwrap(), "old", "a hard link to the old file keeps it");
    }

    /// Streamed files (the open data) follow the rules of the others: an unchanged one is
    /// left alone, a changed one is a new file, a folder in its way goes, and neither a
    /// finished nor a failed one leaves its working file behind.
    #[test]
    fn streamed_files_are_compared_and_replaced_like_the_others() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stream = |files: &[(&str, &str)]| {
            let staging = Staging::new(&out).unwrap();
            for (path, text) in files {
                staging
                    .put_with(path, &mut |w| w.write_all(text.as_bytes()).map_err(|e| Error::io(&out, e)))
                    .unwrap();
            }
            staging.commit().unwrap()
        };
        let inode = |path: &str| fs::metadata(out.join(path)).unwrap().ino();
        let long = "x".repeat(300 * 1024);
        let first = [("data/same.json", long.as_str()), ("data/changes.json", "old"), ("data/x", "a file")];
        assert_eq!(stream(&first), None);
        assert_eq!(
            fs::read_to_string(out.join("data/same.json")).unwrap(),
            long,
            "written through the buffer"
        );
        let same = inode("data/same.json");
        // The third build reuses the first build's folder, as the spare.
        assert_eq!(stream(&first), None, "no spare to reuse yet");
        let changed = stream(&[
            ("data/same.json", long.as_str()),
            ("data/changes.json", "new"),
            ("data/x/inside.json", "in a folder"),
        ]);
        assert_eq!(changed, Some(Changed { written: 2, removed: 0 }));
        assert_eq!(inode("data/same.json"), same, "an unchanged file is not rewritten");
        assert_eq!(fs::read_to_string(out.join("data/changes.json")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("data/x/inside.json")).unwrap(), "in a folder");

        let staging = Staging::new(&out).unwrap();
        let failed = staging.put_with("data/same.json", &mut |w| {
            w.write_all(b"half").map_err(|e| Error::io(&out, e))?;
            Err(Error::Export("popolo.json: disk full".into()))
        });
        assert!(failed.is_err());
        let staged = dir.path().join(".public.mandat-new");
        assert!(!names(&staged).iter().any(|n| n.starts_with(".mandat-part")), "{:?}", names(&staged));
        staging.abandon();
        assert_eq!(fs::read_to_string(out.join("data/same.json")).unwrap(), long, "the output as it was");
        assert!(!names(&out).iter().any(|n| n.starts_with(".mandat-part")));
    }

    #[test]
    fn a_folder_may_take_the_place_of_a_file_and_the_other_way_round() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = site(&[("x", "a file"), ("y/index.html", "in a folder")]);
        write_site(&out, &files).unwrap();
        write_site(&out, &files).unwrap();
        write_site(&out, &site(&[("x/index.html", "in a folder"), ("y", "a file")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("x/index.html")).unwrap(), "in a folder");
        assert_eq!(fs::read_to_string(out.join("y")).unwrap(), "a file");
    }

    #[test]
    fn files_of_a_new_folder_may_clear_the_way_at_the_same_time() {
        use rayon::prelude::*;
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            write_site(&out, &site(&[("x", "a file")])).unwrap();
            write_site(&out, &site(&[("x", "a file")])).unwrap();
            let staging = Staging::new(&out).unwrap();
            (0..32).into_par_iter().for_each(|i| staging.put(&format!("x/{i}.html"), vec![b'.'; i]).unwrap());
            staging.commit().unwrap();
            assert_eq!(fs::read_dir(out.join("x")).unwrap().count(), 32);
        }
    }

    #[test]
    fn comparison_reads_every_byte() {
        let long = vec![7u8; 200 * 1024];
        assert!(same_streams(&long[..], &long[..]));
        let mut other = long.clone();
        *other.last_mut().unwrap() = 8;
        assert!(!same_streams(&other[..], &long[..]));
        assert!(!same_streams(&long[..10], &long[..]));
        assert!(!same_streams(&long[..], &long[..10]));
        assert!(same_streams(&b""[..], &b""[..]));
    }

    #[test]
    fn an_interrupted_build_leaves_a_folder_the_next_build_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "one")])).unwrap();
        let interrupted = Staging::new(&out).unwrap();
        interrupted.put("half.html", b"half".to_vec()).unwrap();
        drop(interrupted);
        write_site(&out, &site(&[("index.html", "two")])).unwrap();
        assert_eq!(names(&out), [MARKER, "index.html"], "the interrupted build's file is gone");
        assert_eq!(names(dir.path()), [".public.mandat-lock", ".public.mandat-old", "public"]);
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
    fn foreign_staging_and_spare_folders_are_not_touched() {
        for name in [".public.mandat-new", ".public.mandat-old"] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let theirs = dir.path().join(name);
            fs::create_dir(&theirs).unwrap();
            fs::write(theirs.join("mine.txt"), "x").unwrap();
            let err = write_site(&out, &site(&[("index.html", "x")])).unwrap_err();
            assert!(matches!(err, Error::ForeignOutput { .. }), "{name}: {err}");
            assert_eq!(names(&theirs), ["mine.txt"], "{name}");
        }
    }
}
