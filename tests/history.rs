//! The site's change history from git: `/changes/`, `/changes.xml`, "last changed".

mod common;

use std::path::Path;

use common::{copy_dir, fixture, mandat};

use common::git_at as git;

/// A site with two commits: the organisation, then a status change.
fn site_with_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), dir.path());
    git(dir.path(), &["init", "-q", "-b", "main"], "2024-01-02T09:00:00+01:00");
    git(dir.path(), &["add", "."], "2024-01-02T09:00:00+01:00");
    git(dir.path(), &["commit", "-q", "-m", "Set up the organisation"], "2024-01-02T09:00:00+01:00");
    let wg = dir.path().join("content/bodies/working-group.md");
    let text = std::fs::read_to_string(&wg).unwrap().replace("status = \"active\"", "status = \"dissolved\"");
    std::fs::write(&wg, text).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not content").unwrap();
    git(dir.path(), &["add", "."], "2024-03-04T15:30:00+01:00");
    git(
        dir.path(),
        &["commit", "-q", "-m", "Dissolve the working group\n\nDecided by the board."],
        "2024-03-04T15:30:00+01:00",
    );
    dir
}

fn build(root: &Path, out: &Path) -> String {
    let o = mandat().args(["build", "--root"]).arg(root).arg("--output").arg(out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn changes_page_lists_commits_newest_first_with_what_they_did() {
    let site = site_with_history();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let html = read(&out.path().join("changes/index.html"));
    let newest = html.find("Dissolve the working group").expect("newest commit");
    let oldest = html.find("Set up the organisation").expect("first commit");
    assert!(newest < oldest, "newest first");
    assert!(html.contains("<time datetime=\"2024-03-04\">4 March 2024</time>"), "{html}");
    assert!(html.contains("Decided by the board."));
    assert!(html.contains("1 changed") && html.contains("8 added"), "{html}");
    assert!(html.contains("<del>Active</del> → <ins>Dissolved</ins>"), "{html}");
    assert!(html.contains("href=\"../bodies/working-group/index.html\""), "{html}");
    assert!(
        html.contains(">Working Group on Everything – 1 changed</h2>"),
        "the heading says what changed: {html}"
    );
    let text = html.split("<main").nth(1).unwrap();
    let hash = String::from_utf8(
        std::process::Command::new("git")
            .args(["rev-parse", "--short=8", "HEAD"])
            .current_dir(site.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let visible: String = text.split('<').map(|part| part.split_once('>').map_or("", |(_, t)| t)).collect();
    assert!(
        !visible.contains(hash.trim()) && !visible.contains("Commit"),
        "no commit ids in the text: {visible}"
    );
}

/// A commit that only reformats a file changes nothing a reader can see: it is left out.
/// With `history_messages = false` the page says what changed, not what developers wrote.
#[test]
fn formatting_commits_are_left_out_and_messages_can_be_hidden() {
    let site = site_with_history();
    let wg = site.path().join("content/bodies/working-group.md");
    let text = std::fs::read_to_string(&wg).unwrap();
    std::fs::write(&wg, text.replacen("\n+++", "\n# a comment only\n+++", 1)).unwrap();
    git(site.path(), &["commit", "-qam", "fmt: tidy the front matter"], "2024-04-01T10:00:00+01:00");
    let config = site.path().join("mandat.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("history_messages = false\n{toml}")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let html = read(&out.path().join("changes/index.html"));
    assert!(!html.contains("fmt: tidy"), "{html}");
    assert_eq!(html.matches("<article class=\"change\"").count(), 2, "{html}");
    assert!(!html.contains("Dissolve the working group") && !html.contains("Decided by the board"), "{html}");
    assert!(html.contains("Working Group on Everything – 1 changed"), "{html}");
}

#[test]
fn pages_show_when_they_last_changed() {
    let site = site_with_history();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let wg = read(&out.path().join("bodies/working-group/index.html"));
    assert!(wg.contains("Last changed</dt><dd><a href=\"#history\"><time datetime=\"2024-03-04\">"), "{wg}");
    assert_eq!(wg.matches("changes/index.html#c-").count(), 2, "both commits touched it");
    let board = read(&out.path().join("bodies/board/index.html"));
    assert_eq!(board.matches("changes/index.html#c-").count(), 1, "only the first commit touched the board");
}

#[test]
fn the_feed_is_atom_with_absolute_links() {
    let site = site_with_history();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let feed = read(&out.path().join("changes.xml"));
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert!(feed.contains("<updated>2024-03-04T15:30:00+01:00</updated>"), "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 2);
    assert!(feed.contains("<id>https://example.org/test/changes/#c-"), "{feed}");
    // Well-formed XML.
    let mut reader = quick_xml::Reader::from_str(&feed);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}"),
        }
    }
}

#[test]
fn builds_with_history_are_identical() {
    let site = site_with_history();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), &out.path().join("a"));
    build(site.path(), &out.path().join("b"));
    for page in ["changes/index.html", "changes.xml", "bodies/working-group/index.html"] {
        assert_eq!(read(&out.path().join("a").join(page)), read(&out.path().join("b").join(page)), "{page}");
    }
}

#[test]
fn without_git_there_is_no_history() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    assert!(!out.path().join("changes").exists());
    assert!(!read(&out.path().join("index.html")).contains("changes/index.html"));
}

#[test]
fn a_shallow_clone_says_how_far_back_it_sees() {
    let site = site_with_history();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", site.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "."], "2024-03-05T00:00:00+01:00");
    let out = tempfile::tempdir().unwrap();
    let stderr = build(clone.path(), out.path());
    assert!(stderr.contains("shallow clone"), "{stderr}");
    let html = read(&out.path().join("changes/index.html"));
    assert!(html.contains("only goes back to 4 March 2024"), "{html}");
    assert!(html.contains("Dissolve the working group"));
}

/// A commit message with control characters (XML forbids them) still gives a well-formed
/// feed: they are dropped from the message.
#[test]
fn control_characters_in_commit_messages_are_dropped() {
    let site = site_with_history();
    let wg = site.path().join("content/bodies/working-group.md");
    let text = std::fs::read_to_string(&wg).unwrap().replace("status = \"dissolved\"", "status = \"active\"");
    std::fs::write(&wg, text).unwrap();
    git(
        site.path(),
        &["commit", "-qam", "Revive\u{1}d \u{1b}[2J the group\u{b}"],
        "2024-05-01T10:00:00+01:00",
    );
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let feed = read(&out.path().join("changes.xml"));
    assert!(feed.contains("Revived [2J the group"), "{feed}");
    assert!(!feed.chars().any(|c| c.is_control() && c != '\n'), "{feed:?}");
}
