//! `mandat diff` end to end on a temporary git repository: each kind of change in a commit
//! of its own, reported exactly, in JSON, text and Markdown.

mod common;

use std::path::Path;

use common::{copy_dir, fixture, mandat};
use serde_json::{Value, json};

fn git(dir: &Path, args: &[&str]) {
    common::git_at(dir, args, "2024-05-01T10:00:00+02:00");
}

/// A repository with the `full` fixture committed.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), dir.path());
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "Initial organisation"]);
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

fn diff_json(dir: &Path, args: &[&str]) -> Value {
    let out = mandat().arg("diff").args(args).args(["--format", "json", "--root"]).arg(dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The details of the one changed entity, as (field, change, from, to).
fn details(report: &Value) -> Vec<(String, String, Value, Value)> {
    let entities = report["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 1, "{report:#}");
    entities[0]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["field"].as_str().unwrap().into(),
                d["change"].as_str().unwrap().into(),
                d["from"].clone(),
                d["to"].clone(),
            )
        })
        .collect()
}

const WG: &str = "content/bodies/working-group.md";

fn one_change(file: &str, from: &str, to: &str) -> Value {
    let dir = repo();
    edit(dir.path(), file, from, to);
    commit(dir.path(), "Change");
    diff_json(dir.path(), &["HEAD~1", "HEAD"])
}

#[test]
fn an_unchanged_repository_reports_no_changes() {
    let dir = repo();
    let report = diff_json(dir.path(), &[]);
    assert_eq!(report["entities"], json!([]));
    let out = mandat().arg("diff").arg("--root").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "HEAD → working tree: no changes to the organisation\n");
}

#[test]
fn added_and_removed_bodies() {
    let dir = repo();
    std::fs::write(
        dir.path().join("content/bodies/new-group.md"),
        "+++\ntitle = \"New Group\"\nparent = \"working-group\"\n+++\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("content/bodies/sub-group.md")).unwrap();
    commit(dir.path(), "Add and remove");
    let report = diff_json(dir.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(report["summary"], json!({"added": 1, "removed": 1, "renamed": 0, "changed": 0}));
    let e = &report["entities"];
    assert_eq!((e[0]["change"].as_str(), e[0]["id"].as_str()), (Some("added"), Some("new-group")));
    assert_eq!(e[0]["path"], json!(["The Board", "Working Group on Everything"]));
    assert_eq!((e[1]["change"].as_str(), e[1]["id"].as_str()), (Some("removed"), Some("sub-group")));
}

#[test]
fn a_renamed_body_is_one_change() {
    let dir = repo();
    let old = dir.path().join("content/bodies/sub-group.md");
    std::fs::rename(&old, dir.path().join("content/bodies/subgroup.md")).unwrap();
    commit(dir.path(), "Rename");
    let report = diff_json(dir.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(report["summary"]["renamed"], 1, "{report:#}");
    assert_eq!(report["entities"][0]["old_id"], "sub-group");
    assert_eq!(report["entities"][0]["id"], "subgroup");
}

#[test]
fn parent_moved() {
    let report =
        one_change("content/bodies/sub-group.md", "parent = \"working-group\"", "parent = \"board\"");
    assert_eq!(
        details(&report),
        [(
            "parent".into(),
            "moved".into(),
            json!("The Board › Working Group on Everything"),
            json!("The Board")
        )]
    );
}

#[test]
fn status_changed() {
    let report = one_change(WG, "status = \"active\"", "status = \"dissolved\"");
    assert_eq!(details(&report), [("status".into(), "changed".into(), json!("Active"), json!("Dissolved"))]);
}

#[test]
fn approval_date_changed() {
    let report = one_change(WG, "approved = 2021-02-03", "approved = 2021-03-04");
    assert_eq!(
        details(&report),
        [("approved".into(), "changed".into(), json!("3 February 2021"), json!("4 March 2021"))]
    );
}

#[test]
fn secretariat_changed() {
    let report = one_change(WG, "secretariat = \"city-hall\"", "secretariat = \"board\"");
    assert_eq!(
        details(&report),
        [("secretariat".into(), "changed".into(), json!("City Hall"), json!("The Board"))]
    );
}

#[test]
fn seat_count_changed() {
    let report = one_change(WG, "count = \"2\"", "count = \"3\"");
    assert_eq!(
        details(&report),
        [(
            "seat".into(),
            "changed".into(),
            json!("2 from each The Towns (Member) – Directors"),
            json!("3 from each The Towns (Member) – Directors")
        )]
    );
}

/// Tools get the values as data beside the words: ids, counts as numbers, roles, dates.
#[test]
fn json_details_carry_the_values() {
    let report = one_change(WG, "count = \"2\"", "count = \"3\"");
    let d = &report["entities"][0]["details"][0];
    assert_eq!(d["old"]["type"], "seat");
    assert_eq!(d["old"]["from"], json!({"id": "towns", "title": "The Towns"}));
    assert_eq!(
        (&d["old"]["count"], &d["new"]["count"]),
        (&json!({"min": 2, "max": 2}), &json!({"min": 3, "max": 3}))
    );
    assert_eq!((&d["new"]["role"], &d["new"]["each"]), (&json!("member"), &json!(true)));
    let report = one_change(WG, "approved = 2021-02-03", "approved = 2021-03-04");
    let d = &report["entities"][0]["details"][0];
    assert_eq!(
        (&d["old"], &d["new"]),
        (&json!({"type": "date", "date": "2021-02-03"}), &json!({"type": "date", "date": "2021-03-04"}))
    );
    let report = one_change(WG, "parent = \"board\"", "parent = \"towns\"");
    let d = &report["entities"][0]["details"][0];
    assert_eq!(d["change"], "moved");
    assert_eq!(d["new"], json!({"type": "place", "path": [{"id": "towns", "title": "The Towns"}]}));
}

/// A Danish site's diff has no English words: field, change, roles, each, top level.
#[test]
fn a_danish_site_is_compared_in_danish() {
    let dir = repo();
    let config = dir.path().join("mandat.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("language = \"en\"", "language = \"da\"");
    std::fs::write(&config, text).unwrap();
    commit(dir.path(), "Dansk");
    edit(dir.path(), WG, "count = \"2\"", "count = \"3\"");
    edit(dir.path(), WG, "parent = \"board\"", "# top level");
    let out = mandat().args(["diff", "--color", "never", "--root"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "HEAD → arbejdskopien: 1 ændret\n\n~ organ Working Group on Everything (working-group)\n    \
         ~ Flyttet: The Board → øverste niveau\n    \
         ~ Plads: 2 fra hver The Towns (Medlem) – Directors → 3 fra hver The Towns (Medlem) – Directors\n"
    );
}

#[test]
fn seat_added_and_removed() {
    let report = one_change(WG, "[[members]]\nfrom = \"towns\"", "[[members]]\nfrom = \"north-town\"");
    let d = details(&report);
    assert_eq!(
        d[0],
        ("seat".into(), "removed".into(), json!("2 from each The Towns (Member) – Directors"), Value::Null)
    );
    assert_eq!(
        d[1],
        ("seat".into(), "added".into(), Value::Null, json!("2 from each North Town (Member) – Directors"))
    );
}

/// A new chair is reported as the people, not as the seat they sit in.
#[test]
fn chair_changed() {
    let report = one_change(WG, "person = \"Jane Doe\"", "person = \"John Roe\"");
    assert_eq!(details(&report), [("chair".into(), "changed".into(), json!("Jane Doe"), json!("John Roe"))]);
    let d = &report["entities"][0]["details"][0];
    assert_eq!(d["old"], json!({"type": "people", "person": [{"name": "Jane Doe"}]}));
}

/// A chair's seat that changes in another way than its holder is reported whole.
#[test]
fn a_named_chairs_seat_changed() {
    let report = one_change(WG, "count = \"1-3\"\nrole = \"chair\"", "count = \"2\"\nrole = \"chair\"");
    let d = details(&report);
    assert_eq!(d[0].0, "chair");
    assert_eq!(d[0].3, json!("2 × City Hall (Chair), Jane Doe – Rotates yearly"));
}

#[test]
fn task_edited_word_by_word() {
    let report = one_change(WG, "\"Task one\"", "\"Task number one\"");
    let d = &report["entities"][0]["details"][0];
    assert_eq!((d["field"].as_str(), d["change"].as_str()), (Some("task"), Some("edited")));
    assert_eq!(
        d["words"],
        json!([{"op": "equal", "text": "Task "}, {"op": "insert", "text": "number"}, {"op": "equal", "text": " one"}])
    );
}

#[test]
fn task_added_and_competence_removed() {
    let dir = repo();
    edit(
        dir.path(),
        WG,
        "tasks = [\"Task one\",",
        "tasks = [\"Task one\", \"A brand new duty for everyone\",",
    );
    edit(dir.path(), WG, "competences = [\"May decide small things\"]", "competences = []");
    commit(dir.path(), "Tasks");
    let report = diff_json(dir.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(
        details(&report),
        [
            ("task".into(), "added".into(), Value::Null, json!("A brand new duty for everyone")),
            ("competence".into(), "removed".into(), json!("May decide small things"), Value::Null),
        ]
    );
}

#[test]
fn relation_changed() {
    let report = one_change(WG, "type = \"reports-to\"", "type = \"advises\"");
    assert_eq!(
        details(&report),
        [
            ("relation".into(), "removed".into(), json!("Reports to The Board – Every quarter"), Value::Null),
            ("relation".into(), "added".into(), Value::Null, json!("Advises The Board – Every quarter")),
        ]
    );
}

#[test]
fn text_section_changed() {
    let report = one_change(WG, "Set up by [[board|the board]].", "Set up by [[board|the board]] in 2020.");
    let d = &report["entities"][0]["details"][0];
    assert_eq!(
        (d["field"].as_str(), d["change"].as_str(), d["section"].as_str()),
        (Some("text"), Some("edited"), Some("Background"))
    );
    assert!(
        d["words"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["op"] == "insert" && w["text"].as_str().unwrap().ends_with(" in 2020.")),
        "{d:#}"
    );
}

#[test]
fn text_and_markdown_formats() {
    let dir = repo();
    edit(dir.path(), WG, "status = \"active\"", "status = \"dissolved\"");
    let text = mandat().args(["diff", "--color", "never", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&text.stdout),
        "HEAD → working tree: 1 changed\n\n~ body Working Group on Everything (working-group)\n    ~ Status: Active → Dissolved\n"
    );
    let md = mandat().args(["diff", "--format", "markdown", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&md.stdout),
        "**mandat diff** `HEAD` → `working tree`: 1 changed\n\n### Working Group on Everything (body, changed)\n\n- **Status:** Active → Dissolved\n"
    );
}

#[test]
fn invalid_content_at_a_revision_is_named() {
    let dir = repo();
    edit(dir.path(), WG, "parent = \"board\"", "parent = \"nowhere\"");
    commit(dir.path(), "Break it");
    let out = mandat().args(["diff", "HEAD~1", "HEAD", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the content at `HEAD` is invalid"), "{stderr}");
    assert!(stderr.contains("`parent` names `nowhere`"), "{stderr}");
    let unknown = mandat().args(["diff", "no-such-rev", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("`no-such-rev` is not a branch, tag or commit")
    );
}

#[test]
fn svg_marks_the_changes() {
    let dir = repo();
    std::fs::write(
        dir.path().join("content/bodies/new-group.md"),
        "+++\ntitle = \"New Group\"\nparent = \"board\"\n+++\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("content/bodies/sub-group.md")).unwrap();
    edit(dir.path(), "content/bodies/old-group.md", "parent = \"board\"", "parent = \"working-group\"");
    let svg = dir.path().join("changes.svg");
    let out = mandat().args(["diff", "--svg"]).arg(&svg).arg("--root").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = std::fs::read_to_string(svg).unwrap();
    for class in ["d-added", "d-removed", "d-moved"] {
        assert!(svg.contains(&format!("class=\"d-node {class}\"")), "{class}");
    }
    assert!(
        svg.contains(">Added</text>") && svg.contains(">Removed</text>") && svg.contains(">Moved</text>")
    );
}

#[test]
fn outside_git_is_a_usage_error() {
    // The fixture lives inside this project's repository, so it is copied out first.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), dir.path());
    let out = mandat().args(["diff", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not in a git repository"));
}

#[test]
fn revisions_past_the_history_or_unknown_are_explained() {
    let dir = repo();
    let run = |revision: &str| {
        let out = mandat().args(["diff", revision]).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = run("HEAD~5");
    assert!(
        stderr.contains("`HEAD~5` goes back 5 commits, but the history has only 0 commits before `HEAD`"),
        "{stderr}"
    );
    assert!(!stderr.contains("NthAncestor") && !stderr.contains("delegate"), "{stderr}");
    let stderr = run("mian");
    assert!(stderr.contains("`mian` is not a branch, tag or commit of this repository"), "{stderr}");
}
