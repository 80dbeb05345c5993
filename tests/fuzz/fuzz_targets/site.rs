//! Any bytes as a one-body site: when it checks, the whole site renders (Markdown with
//! links and auto-links, diagrams, search, print) into memory without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mandat::model::EntityKind;
use mandat::walk::{RawFile, Walked};

fuzz_target!(|data: &[u8]| {
    let file = RawFile { path: "content/bodies/a.md".into(), kind: EntityKind::Body, bytes: data.to_vec() };
    let loaded = mandat::check(Walked { files: vec![file], skipped: vec![], attachments: vec![] });
    if loaded.has_errors() {
        return;
    }
    let memory = mandat::render::Memory::default();
    let root = std::path::Path::new("/nonexistent-site");
    let _ = mandat::build_site(root, loaded, false, None, &memory);
});
