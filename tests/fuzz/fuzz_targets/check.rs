//! Any bytes as the files of a small site (split at NUL into a body, a second body and an
//! organisation): the whole of `check` — parse, every rule across files — never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mandat::model::EntityKind;
use mandat::walk::{RawFile, Walked};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let mut files = Vec::new();
    for (name, kind) in [
        ("bodies/a", EntityKind::Body),
        ("bodies/b", EntityKind::Body),
        ("organisations/o", EntityKind::Organisation),
    ] {
        let bytes = parts.next().unwrap_or_default().to_vec();
        files.push(RawFile { path: format!("content/{name}.md").into(), kind, bytes });
    }
    let loaded = mandat::check(Walked { files, skipped: vec![], attachments: vec![] });
    let _ = mandat::diagnostic::render_human(&loaded.diagnostics, &loaded.sources);
});
