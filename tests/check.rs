//! `mandat check` end to end: one test per invalid fixture under `tests/fixtures/invalid/`,
//! each asserting the exit code and where and what the problem is.

mod common;

use std::path::Path;

use common::{copy_dir, fixture, invalid_site, mandat};
use serde_json::Value;

/// Runs `check --format json` and returns (exit code, report).
fn check_json(root: &Path) -> (i32, Value) {
    let out = mandat().args(["check", "--format", "json", "--root"]).arg(root).output().unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), report)
}

/// Asserts that the fixture fails with exactly one error, with this code, file, line and message.
fn assert_invalid(case: &str, code: &str, file: &str, line: u64, message: &str) {
    let (exit, report) = check_json(invalid_site(case).path());
    assert_eq!(exit, 1, "{report:#}");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let errors: Vec<_> = diagnostics.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "exactly one problem expected: {report:#}");
    let d = errors[0];
    assert_eq!(d["code"], code, "{d:#}");
    assert_eq!(d["file"], file, "{d:#}");
    assert_eq!(d["line"], line, "{d:#}");
    let text = format!("{} {} {}", d["message"], d["label"], d["help"]);
    assert!(text.contains(message), "{message:?} not in {text}");
    assert_eq!(report["summary"]["errors"], 1);
}

macro_rules! invalid_cases {
    ($($case:ident: $code:literal, $file:literal, $line:literal, $message:literal;)*) => {$(
        #[test]
        fn $case() {
            assert_invalid(&stringify!($case).replace('_', "-"), $code, $file, $line, $message);
        }
    )*};
}

invalid_cases! {
    malformed_toml: "toml-syntax", "content/bodies/group.md", 2, "invalid basic string";
    missing_opening_fence: "missing-front-matter", "content/bodies/group.md", 1, "expected `+++` on the first line";
    unclosed_front_matter: "unclosed-front-matter", "content/bodies/group.md", 1, "never closed";
    missing_title: "missing-key", "content/bodies/group.md", 1, "missing key `title`";
    empty_title: "empty-title", "content/bodies/group.md", 2, "the title is empty";
    title_not_a_string: "invalid-value", "content/bodies/group.md", 2, "invalid type: integer `3`, expected a string";
    invalid_id: "invalid-id", "content/bodies/Group_2.md", 1, "rename the file to `group-2.md`";
    duplicate_id: "duplicate-id", "content/organisations/board.md", 2, "duplicate id `board`";
    unknown_key: "unknown-key", "content/bodies/group.md", 3, "did you mean `parent`?";
    unknown_key_in_seat: "unknown-key", "content/bodies/group.md", 6, "did you mean `role`?";
    unknown_parent: "unknown-reference", "content/bodies/group.md", 3, "did you mean `board`?";
    parent_given_as_title: "unknown-reference", "content/bodies/group.md", 3, "`Board` is the title of `board`";
    unknown_secretariat: "unknown-reference", "content/bodies/group.md", 4, "`secretariat` names `secretariat`";
    unknown_approved_by: "unknown-reference", "content/bodies/group.md", 5, "`approved_by` names `council`";
    unknown_replaces: "unknown-reference", "content/bodies/group.md", 3, "no body has this id";
    replaces_an_organisation: "wrong-kind", "content/bodies/group.md", 3, "`town` is an organisation";
    unknown_member: "unknown-reference", "content/bodies/group.md", 5, "did you mean `town`?";
    unknown_relation_target: "unknown-reference", "content/bodies/group.md", 6, "`relations.to` names `nobody`";
    unknown_link: "unknown-reference", "content/bodies/group.md", 5, "the link names `boardd`";
    unknown_group_member: "unknown-reference", "content/organisations/towns.md", 4, "`members` names `village`";
    parent_cycle: "parent-cycle", "content/bodies/board.md", 3, "`board` → `group` → `board`";
    self_parent: "parent-cycle", "content/bodies/group.md", 3, "`group` → `group`";
    count_backwards: "invalid-value", "content/bodies/group.md", 6, "goes backwards";
    count_zero: "invalid-value", "content/bodies/group.md", 6, "is zero";
    count_word: "invalid-value", "content/bodies/group.md", 6, "`two` is not a count";
    date_as_string: "invalid-value", "content/bodies/group.md", 3, "write dates as 2019-09-19";
    impossible_date: "toml-syntax", "content/bodies/group.md", 3, "invalid date";
    date_with_time: "invalid-value", "content/bodies/group.md", 3, "is not a plain date";
    unknown_status: "unknown-value", "content/bodies/group.md", 3, "did you mean `active`?";
    danish_role: "unknown-role", "content/bodies/group.md", 7, "write `chair`";
    danish_status: "unknown-value", "content/bodies/group.md", 3, "did you mean `dissolved`?";
    day_first_date: "toml-syntax", "content/bodies/group.md", 3, "write dates as 2019-09-19";
    javascript_url: "invalid-value", "content/organisations/town.md", 4, "not a web address";
    theme_path: "invalid-value", "mandat.toml", 2, "is not a theme name";
    control_character: "control-character", "content/bodies/group.md", 2, "U+0001";
    own_secretariat: "self-reference", "content/bodies/group.md", 4, "`group` is its own secretariat";
    own_seat: "self-reference", "content/bodies/group.md", 6, "`group` is a member of itself";
    replaces_itself: "self-reference", "content/bodies/group.md", 4, "its own predecessor";
    own_member: "self-reference", "content/organisations/towns.md", 4, "`towns` is a member of itself";
    groups_of_each_other: "group-cycle", "content/organisations/north.md", 4, "`north` → `south` → `north`";
    delivered_before_established: "delivered-before-established", "content/bodies/group.md", 8, "before the body existed";
    not_utf8: "not-utf8", "content/bodies/group.md", 1, "content/bodies/group.md is not UTF-8";
    unknown_person: "unknown-person", "content/bodies/group.md", 7, "did you mean `betina-svinggaard`?";
    seat_without_from: "invalid-value", "content/bodies/group.md", 5, "a seat needs `from` (whom it represents), or `capacity";
    ex_officio_without_position: "invalid-value", "content/bodies/group.md", 5, "an ex-officio seat needs `position`";
    month_13: "invalid-value", "content/bodies/group.md", 3, "month 13 does not exist";
    partial_date_day_first: "invalid-value", "content/bodies/group.md", 3, "write dates as 2019-12-19";
    until_before_since: "invalid-value", "content/bodies/group.md", 5, "`until = 2021-12` is before `since = 2022-01-01`";
    unknown_document_kind: "unknown-value", "content/bodies/group.md", 6, "kommissorium, rules-of-procedure, minutes, report, other";
    bad_document_url: "bad-document-url", "content/bodies/group.md", 7, "did you mean `kommissorium.pdf`?";
    duplicate_person_id: "duplicate-id", "content/people/board.md", 2, "unique across bodies, organisations and people";
    more_people_than_seats: "invalid-value", "content/bodies/group.md", 5, "2 people are named for 1 seat";
}

/// Every problem of a file in one run, each on its line, and the file still counted.
#[test]
fn five_problems_in_one_file_are_five_diagnostics() {
    let site = invalid_site("five-problems");
    let (exit, report) = check_json(site.path());
    assert_eq!(exit, 1);
    let found: Vec<(&str, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-reference", 3),
            ("unknown-key", 4),
            ("invalid-value", 5),
            ("unknown-value", 6),
            ("invalid-value", 10),
        ],
        "{report:#}"
    );
    let out = mandat().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("checked 2 bodies and 2 organisations: 5 errors"), "{stderr}");
}

#[test]
fn every_invalid_fixture_has_a_test() {
    let this = std::fs::read_to_string(file!()).unwrap();
    for entry in std::fs::read_dir(fixture("invalid")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap().replace('-', "_");
        let tested = this.contains(&format!("    {name}: ")) || this.contains(&format!("fn {name}_"));
        assert!(tested, "fixture {name} has no test case");
    }
}

#[test]
fn valid_site_passes_with_no_output_but_the_summary() {
    mandat()
        .args(["check", "--root"])
        .arg(fixture("valid"))
        .assert()
        .code(0)
        .stdout("")
        .stderr("checked 2 bodies and 2 organisations: no problems\n");
}

#[test]
fn warnings_do_not_fail_the_check() {
    let (exit, report) = check_json(&fixture("warnings"));
    assert_eq!(exit, 0);
    let codes: Vec<_> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["active-under-ended", "each-without-group", "unknown-role", "unknown-relation"]);
    assert_eq!(report["summary"]["warnings"], 4);
    assert_eq!(report["diagnostics"][2]["help"], "did you mean `chair`?");
}

#[test]
fn human_output_is_rustc_style_and_uncoloured_when_piped() {
    let site = invalid_site("unknown-parent");
    let out = mandat().args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let expected = "\
error[unknown-reference]: `parent` names `bord`, which does not exist
  ┌─ content/bodies/group.md:3:10
  │
3 │ parent = \"bord\"
  │          ^^^^^^ no body or organisation has this id
  │
  = help: did you mean `board`?

checked 2 bodies and 2 organisations: 1 error, 0 warnings
";
    assert_eq!(stderr, expected);
    assert!(!stderr.contains('\u{1b}'), "no colour codes when not a terminal");
}

#[test]
fn all_problems_are_reported_not_just_the_first() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let bodies = dir.path().join("content/bodies");
    std::fs::write(bodies.join("a.md"), "+++\ntitle = \"A\"\nparent = \"nope\"\n+++\n").unwrap();
    std::fs::write(bodies.join("b.md"), "+++\ntitle = \"B\"\nstatus = \"gone\"\n+++\n").unwrap();
    std::fs::write(bodies.join("c.md"), "no front matter\n").unwrap();
    let (exit, report) = check_json(dir.path());
    assert_eq!(exit, 1);
    let files: Vec<_> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["content/bodies/a.md", "content/bodies/b.md", "content/bodies/c.md"]);
}

#[test]
fn references_to_a_broken_file_are_not_reported_twice() {
    // group.md is unreadable; nothing refers to it, but board could: add a reference.
    let dir = invalid_site("malformed-toml");
    std::fs::write(
        dir.path().join("content/bodies/sub.md"),
        "+++\ntitle = \"Sub\"\nparent = \"group\"\n+++\n",
    )
    .unwrap();
    let (_, report) = check_json(dir.path());
    assert_eq!(report["summary"]["errors"], 1, "{report:#}");
}

#[test]
fn missing_site_and_bad_usage_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    mandat()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a mandat site: it has no `content/` folder"));
    mandat().args(["check", "--format", "xml"]).assert().code(2);
    mandat().arg("frobnicate").assert().code(2);
}

#[test]
fn help_lists_the_subcommands() {
    mandat().arg("--help").assert().code(0).stdout(predicates::str::contains("check"));
}

#[test]
fn the_sample_site_passes_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (exit, report) = check_json(root);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["summary"]["warnings"], 0, "{report:#}");
}

/// 10,000 levels of `parent`: `check` names the one parent too many, at once (no stack
/// overflow, no quadratic walk), and `build` refuses the same way.
#[test]
fn a_hierarchy_deeper_than_mandat_shows_is_an_error_in_check() {
    let site = tempfile::tempdir().unwrap();
    let bodies = site.path().join("content/bodies");
    std::fs::create_dir_all(&bodies).unwrap();
    for i in 0..10_000 {
        let parent = if i == 0 { String::new() } else { format!("parent = \"b{}\"\n", i - 1) };
        std::fs::write(bodies.join(format!("b{i}.md")), format!("+++\ntitle = \"B{i}\"\n{parent}+++\n"))
            .unwrap();
    }
    let (exit, report) = check_json(site.path());
    assert_eq!(exit, 1);
    let errors: Vec<_> =
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(
        (errors[0]["code"].as_str(), errors[0]["file"].as_str(), errors[0]["line"].as_u64()),
        (Some("too-deep"), Some("content/bodies/b100.md"), Some(3))
    );
    mandat().args(["build", "--root"]).arg(site.path()).assert().code(1);
}

/// An escape character written raw into a file is never printed raw: it would clear the
/// terminal or set its title.
#[test]
fn control_characters_never_reach_the_terminal() {
    let site = invalid_site("unknown-key");
    std::fs::write(
        site.path().join("content/bodies/group.md"),
        r#"+++
title = "Group\u001b]0;owned\u0007"
parnet = "\u001b[2J"
+++
"#,
    )
    .unwrap();
    std::fs::write(site.path().join("content/bodies/raw.md"), "+++\ntitle = \"Raw \u{1b}[2J\"\n+++\n")
        .unwrap();
    let out = mandat().args(["check", "--color", "always", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("control-character") && stderr.contains("toml-syntax"), "{stderr}");
    // Colour codes are mandat's own; no other escape sequence may appear.
    let foreign = stderr
        .match_indices('\u{1b}')
        .filter(|(i, _)| !stderr[i + 1..].starts_with('[') || stderr[i + 1..].starts_with("[2J"))
        .count();
    assert_eq!(foreign, 0, "{stderr:?}");
    assert!(!stderr.contains('\u{7}'));
}
