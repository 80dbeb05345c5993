//! No input makes mandat panic: arbitrary bytes as a body file give a body or an error.

use std::collections::HashSet;

use mandat::graph::OrgGraph;
use mandat::parse::parse;
use mandat::walk::{EntityKind, RawFile, Walked};
use proptest::prelude::*;

fn run(bytes: Vec<u8>) {
    let walked = Walked {
        files: vec![RawFile { path: "content/bodies/x.md".into(), kind: EntityKind::Body, bytes }],
        skipped_links: vec![],
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
        skipped_links: vec![],
    };
    assert_eq!(parse(walked).unreadable, HashSet::from(["x".to_owned()]));
}
