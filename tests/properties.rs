//! No input makes mandat panic: arbitrary bytes as a body file give a body or an error.

use std::collections::HashSet;

use mandat::graph::OrgGraph;
use mandat::model::EntityKind;
use mandat::parse::parse;
use mandat::walk::{RawFile, Walked};
use proptest::prelude::*;

fn run(bytes: Vec<u8>) {
    let walked = Walked {
        files: vec![RawFile { path: "content/bodies/x.md".into(), kind: EntityKind::Body, bytes }],
        skipped: vec![],
        attachments: vec![],
    };
    let parsed = parse(walked);
    let errors = parsed.diagnostics.iter().filter(|d| d.is_error()).count();
    assert!(parsed.content.bodies.len() == 1 || errors > 0, "a file that is not read must say why");
    let problems = mandat::validate::validate(&parsed.content, &parsed.unreadable);
    // Rendering needs valid spans; this also exercises line/column lookups.
    let mut all = parsed.diagnostics.clone();
    all.extend(problems.iter().cloned());
    let _ = mandat::diagnostic::render_human(&all, &parsed.sources);
    let _ = mandat::diagnostic::to_json(&all, &parsed.sources);
    if !problems.iter().any(|d| d.is_error()) {
        let graph = OrgGraph::build(&parsed.content, &mandat::mentions::find(&parsed.content));
        for n in graph.nodes() {
            let _ = (graph.ancestors(n), graph.descendants(n), graph.holdings(n));
        }
    }
}

/// Fragments that steer random input into the front-matter parser's deeper paths.
fn front_matter_like() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "+++\n",
        "+++\r\n",
        "\u{feff}",
        "title = \"T\"\n",
        "parent = \"x\"\n",
        "[[members]]\n",
        "from = \"x\"\n",
        "count = \"2-1\"\n",
        "approved = 2020-02-30\n",
        "tasks = [{ text = \"a\", items = [[]] }]\n",
        "[[x]]",
        "\"",
        "=",
        "\n",
        "æøå",
        "status = \"draft\"\n",
        "[[relations]]\ntype = \"a\"\nto = \"x\"\n",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        run(bytes);
    }

    #[test]
    fn front_matter_like_input_never_panics(bytes in front_matter_like()) {
        run(bytes);
    }

    #[test]
    fn arbitrary_text_after_a_fence_never_panics(text in "\\PC{0,300}") {
        run(format!("+++\n{text}\n+++\n{text}").into_bytes());
    }
}

#[test]
fn unreadable_ids_are_the_files_that_failed() {
    let walked = Walked {
        files: vec![RawFile {
            path: "content/bodies/x.md".into(),
            kind: EntityKind::Body,
            bytes: b"nope".to_vec(),
        }],
        skipped: vec![],
        attachments: vec![],
    };
    assert_eq!(parse(walked).unreadable, HashSet::from(["x".to_owned()]));
}

/// A string value in one of TOML's quotings.
fn toml_string() -> impl Strategy<Value = String> {
    ("[A-Za-zæøåÆØÅ ,.'-]{1,40}", any::<bool>()).prop_map(|(s, literal)| {
        if literal && !s.contains('\'') { format!("'{s}'") } else { format!("{s:?}") }
    })
}

/// A list of strings, on one line or several, with or without a trailing comma.
fn toml_list() -> impl Strategy<Value = String> {
    (prop::collection::vec(toml_string(), 0..5), any::<bool>(), any::<bool>()).prop_map(
        |(items, multiline, trailing)| {
            if multiline {
                let body: Vec<String> = items.iter().map(|i| format!("  {i}")).collect();
                format!("[\n{}{}\n]", body.join(",\n"), if trailing && !items.is_empty() { "," } else { "" })
            } else {
                format!("[{}]", items.join(", "))
            }
        },
    )
}

/// Front matter of a body: keys in any order, any quoting, comments between them.
fn body_front_matter() -> impl Strategy<Value = String> {
    let optional = prop::collection::vec(
        prop_oneof![
            toml_string().prop_map(|s| format!("short_name = {s}")),
            toml_string().prop_map(|s| format!("kind = {s}")),
            prop::sample::select(vec!["active", "draft", "dissolved", "superseded"])
                .prop_map(|s| format!("status = '{s}'")),
            (2000u16..2030, 1u8..13, 1u8..29).prop_map(|(y, m, d)| format!("approved = {y}-{m:02}-{d:02}")),
            toml_list().prop_map(|l| format!("aliases = {l}")),
            toml_list().prop_map(|l| format!("tasks = {l}")),
            (toml_string(), toml_list())
                .prop_map(|(t, l)| format!("competences = [{{ items = {l}, text = {t} }}]")),
            toml_string().prop_map(|s| format!("purpose = {s}")),
            toml_string().prop_map(|s| format!("meetings = {s}  # when")),
            Just("# a comment".to_owned()),
        ],
        0..8,
    );
    let seats = prop::collection::vec(
        (1u32..5, any::<bool>(), toml_string()).prop_map(|(n, each, note)| {
            format!("\n[[members]]\nnote = {note}\ncount = {n}\neach = {each}\nfrom = \"x\"")
        }),
        0..3,
    );
    (toml_string(), optional, seats).prop_map(|(title, mut lines, seats)| {
        lines.insert(0, format!("title = {title}"));
        let mut out = lines.join("\n");
        // Keys may not repeat: keep each key's first line.
        let mut seen = std::collections::HashSet::new();
        out = out
            .lines()
            .filter(|l| l.starts_with('#') || seen.insert(l.split(" =").next().unwrap_or("").to_owned()))
            .collect::<Vec<_>>()
            .join("\n");
        format!("+++\n{out}\n{}\n+++\nBody text stays.\n", seats.concat())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// fmt never changes what a file means, and formatting twice changes nothing more.
    #[test]
    fn fmt_keeps_meaning_and_is_idempotent(text in body_front_matter()) {
        let before: mandat::model::BodyMeta = toml::from_str(mandat::frontmatter::split(&text).unwrap().toml)
            .map_err(|e| TestCaseError::reject(e.to_string()))?;
        let once = mandat::fmt::format(&text, EntityKind::Body).unwrap();
        let after: mandat::model::BodyMeta = toml::from_str(mandat::frontmatter::split(&once).unwrap().toml).unwrap();
        prop_assert_eq!(&before, &after);
        prop_assert!(once.ends_with("+++\nBody text stays.\n"));
        let twice = mandat::fmt::format(&once, EntityKind::Body).unwrap();
        prop_assert_eq!(once, twice);
    }
}
