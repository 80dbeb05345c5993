//! `mandat fmt` end to end.

mod common;

use common::{copy_dir, fixture, mandat};

#[test]
fn the_sample_site_is_formatted() {
    mandat().args(["fmt", "--check", "--root", env!("CARGO_MANIFEST_DIR")]).assert().code(0);
}

#[test]
fn check_lists_unformatted_files_and_fmt_fixes_them() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), site.path());
    let group = site.path().join("content/bodies/group.md");
    std::fs::write(&group, "+++\nsecretariat = 'region'\n# the name\ntitle = \"Group\"\nparent = \"board\"\n+++\nReports to [[board]].\n").unwrap();
    let out = mandat().args(["fmt", "--check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "content/bodies/group.md\n");
    assert!(
        std::fs::read_to_string(&group).unwrap().starts_with("+++\nsecretariat"),
        "--check changes nothing"
    );

    mandat().args(["fmt", "--root"]).arg(site.path()).assert().code(0);
    assert_eq!(
        std::fs::read_to_string(&group).unwrap(),
        "+++\n# the name\ntitle = \"Group\"\nparent = \"board\"\nsecretariat = \"region\"\n+++\nReports to [[board]].\n"
    );
    mandat().args(["fmt", "--check", "--root"]).arg(site.path()).assert().code(0);
    mandat().args(["check", "--root"]).arg(site.path()).assert().code(0);
}

#[test]
fn unreadable_files_are_left_alone_and_reported() {
    let site = common::invalid_site("malformed-toml");
    let group = site.path().join("content/bodies/group.md");
    let before = std::fs::read_to_string(&group).unwrap();
    let out = mandat().args(["fmt", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("content/bodies/group.md: cannot be formatted until it parses")
    );
    assert_eq!(std::fs::read_to_string(&group).unwrap(), before);
}

/// Killed while writing (here by a file-size limit of 1 KB), `fmt` leaves the mandate as it
/// was: the new text goes to a temporary file that replaces the mandate only when whole.
#[cfg(unix)]
#[test]
fn an_interrupted_fmt_leaves_the_file_whole() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), site.path());
    let group = site.path().join("content/bodies/group.md");
    let before = format!(
        "+++\nparent = 'board'\ntitle = 'Group'\npurpose = '{}'\n+++\nText.\n",
        "A long purpose that makes the file larger than one kilobyte. ".repeat(30)
    );
    std::fs::write(&group, &before).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("mandat");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f 1; exec '{}' fmt --root '{}'", bin.display(), site.path().display()))
        .status()
        .unwrap();
    assert!(!status.success(), "the write must have been cut off");
    assert_eq!(std::fs::read_to_string(&group).unwrap(), before);
}
