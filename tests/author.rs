//! The author's commands: `init`, `new`.

mod common;

use common::mandat;

#[test]
fn init_then_check_then_build_pass() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    mandat().args(["init"]).arg(&site).assert().code(0);
    mandat()
        .args(["check", "--root"])
        .arg(&site)
        .assert()
        .code(0)
        .stderr("checked 2 bodies and 1 organisation: no problems\n");
    mandat().args(["fmt", "--check", "--root"]).arg(&site).assert().code(0);
    mandat().args(["build", "--root"]).arg(&site).assert().code(0);
    assert!(site.join("public/bodies/arbejdsgruppen/index.html").is_file());
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/public/") && ignore.lines().any(|l| l == "/.public.mandat-*"));
    // A second init would overwrite: refused.
    mandat().args(["init"]).arg(&site).assert().code(2).stderr(predicates::str::contains("already exists"));
}

#[test]
fn init_leaves_an_existing_gitignore_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "notes/\n").unwrap();
    mandat().args(["init", "--force"]).arg(dir.path()).assert().code(0);
    assert_eq!(std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(), "notes/\n");
}

/// Like `zola init`: a folder with other files in it is refused unless --force.
#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    mandat()
        .args(["init"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not empty"));
    assert!(!dir.path().join("content").exists());
    mandat().args(["init", "--force"]).arg(dir.path()).assert().code(0);
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
}

#[test]
fn new_writes_a_skeleton_that_checks_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    mandat().args(["init"]).arg(site).assert().code(0);
    let new = |args: &[&str]| mandat().arg("new").args(args).arg("--root").arg(site).output().unwrap();
    let out = new(&["Følgegruppen for Ældre & Åben pleje", "--parent", "styregruppen", "--kind", "group"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let path = site.join("content/bodies/foelgegruppen-for-aeldre-aaben-pleje.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("+++\ntitle = \"Følgegruppen for Ældre & Åben pleje\"\nkind = \"group\"\nparent = \"styregruppen\"\nstatus = \"draft\"\n"));
    assert!(text.contains("## Baggrund") && text.contains("## Møder"));
    mandat().args(["check", "--root"]).arg(site).assert().code(0);
    mandat().args(["fmt", "--check", "--root"]).arg(site).assert().code(0);

    let again = new(&["Følgegruppen for Ældre & Åben pleje"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    let typo = new(&["Another", "--parent", "styregrupen"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("did you mean `styregruppen`?"));
    assert!(!site.join("content/bodies/another.md").exists());
}
