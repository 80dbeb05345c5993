//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn mandat() -> Command {
    Command::cargo_bin("mandat").unwrap()
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

/// Runs git in `dir` with a fixed identity and `date`, so tests are repeatable.
pub fn git_at(dir: &Path, args: &[&str], date: &str) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The default theme's font metrics.
pub fn metrics() -> mandat::diagram::metrics::TextMetrics {
    let theme = mandat::theme::Theme::load(Path::new("/nonexistent"), &Default::default()).unwrap();
    mandat::diagram::metrics::TextMetrics::new(
        theme.file("static/fonts/sans.ttf").unwrap(),
        theme.file("static/fonts/sans-bold.ttf").unwrap(),
    )
    .unwrap()
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

/// English diagram words.
pub const TEXTS: mandat::diagram::neighbourhood::Texts = mandat::diagram::neighbourhood::Texts {
    more: "+{n} more",
    hierarchy: "Set up under",
    secretariat: "Secretariat for",
    relation: &relation,
    ended: "Ended",
    title: "{title}",
    description: "Around {title}",
};
