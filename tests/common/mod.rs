//! Helpers shared by the integration tests.
#![allow(dead_code, unused_imports)] // each test crate uses a different subset

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod git;
pub use git::git_at;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn mandat() -> Command {
    Command::cargo_bin("mandat").unwrap()
}

/// An invalid fixture as a site: the files every case shares (`invalid-base/`) with the
/// case's own files laid over them, so each case's folder holds only its problem.
pub fn invalid_site(case: &str) -> tempfile::TempDir {
    let case_dir = fixture("invalid").join(case);
    assert!(case_dir.is_dir(), "no fixture {case}");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("invalid-base"), dir.path());
    copy_dir(&case_dir, dir.path());
    dir
}

/// Builds the site at `root` into a new folder; the build must succeed.
pub fn build_into_temp(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let run = mandat().args(["build", "--root"]).arg(root).arg("--output").arg(out.path()).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    out
}

/// The people fixture as a site that does not publish its people.
pub fn private_people_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("people"), site.path());
    let config = site.path().join("mandat.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[privacy]\npublish_people = false\n")).unwrap();
    site
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The default theme's font metrics.
pub fn metrics() -> mandat::diagram::metrics::TextMetrics {
    mandat::theme::Theme::load(Path::new("/nonexistent"), &Default::default()).unwrap().metrics().unwrap()
}

/// Diagram links as plain relative paths.
pub struct Plain<'g, 'c>(pub &'g mandat::graph::OrgGraph<'c>);

impl mandat::diagram::neighbourhood::Hrefs for Plain<'_, '_> {
    fn entity(&self, n: mandat::graph::NodeId) -> String {
        format!("../{}/index.html", self.0.id(n))
    }
    fn section(&self, anchor: &str) -> String {
        format!("index.html{anchor}")
    }
}

fn relation(kind: &str) -> String {
    kind.to_owned()
}

fn no_chairs(_: mandat::graph::NodeId) -> Option<&'static str> {
    None
}

/// English diagram words.
pub const TEXTS: mandat::diagram::neighbourhood::Texts = mandat::diagram::neighbourhood::Texts {
    more: "+{n} more",
    hierarchy: "Set up under",
    secretariat: "Secretariat for",
    relation: &relation,
    chairs: &no_chairs,
    ended: "Ended",
    title: "{title}",
    description: "Around {title}",
};

/// What the search box would list for `query` in a built site, read from the index files
/// the way `search.js` reads them (terms folded, prefixes of three letters or more, every
/// term matched): the titles of the matching documents, A–Z. The browser's own search is
/// tested in `.ci/search-test.js`; this checks what the index holds.
pub fn search(out: &Path, query: &str) -> Vec<String> {
    let script = |path: &str| {
        let text = std::fs::read_to_string(out.join(path)).unwrap();
        // `mandatSearch.shard(3,{…});` or `mandatSearch.docs(8,[…]);`: the data after the number.
        let json = &text[text.find(['{', '[']).unwrap()..text.rfind(['}', ']']).unwrap() + 1];
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    };
    let index = script("search/index.js");
    let shards = index["shards"].as_array().unwrap().len();
    let postings: Vec<(String, Vec<u64>)> = (0..shards)
        .flat_map(|n| {
            let shard = script(&format!("search/s/{n}.js"));
            shard
                .as_object()
                .unwrap()
                .iter()
                .map(|(term, list)| {
                    (term.clone(), list.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut found: Option<std::collections::BTreeSet<u64>> = None;
    for term in mandat::id::slugify(query).split('-').filter(|t| !t.is_empty()) {
        let mut docs = std::collections::BTreeSet::new();
        for (key, list) in &postings {
            if key == term || (term.len() >= 3 && key.starts_with(term)) {
                let mut doc = 0;
                for v in list {
                    doc += v >> 7;
                    docs.insert(doc);
                }
            }
        }
        found = Some(match found {
            None => docs,
            Some(before) => before.intersection(&docs).copied().collect(),
        });
    }
    found
        .unwrap_or_default()
        .into_iter()
        .map(|n| {
            let per_file = index["per_file"].as_u64().unwrap();
            script(&format!("search/d/{}.js", n / per_file))[(n % per_file) as usize]["t"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}
