//! Any bytes as a body file: splitting the front matter and reading it never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mandat::model::EntityKind;
use mandat::walk::{RawFile, Walked};

fuzz_target!(|data: &[u8]| {
    for kind in EntityKind::ALL {
        let file =
            RawFile { path: format!("content/{}/x.md", kind.folder()).into(), kind, bytes: data.to_vec() };
        let _ = mandat::parse::parse(Walked { files: vec![file], skipped: vec![], attachments: vec![] });
    }
});
