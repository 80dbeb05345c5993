//! Any bytes as a Word, HTML, Markdown or text kommissorium: `mandat import` reads them or
//! says why not, and its draft is in fmt's layout. (PDF is left to the proptest in
//! tests/import.rs: pdf-extract panics on some damaged files, which import catches, and a
//! fuzz build aborts on a panic before it can be caught.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use mandat::import::{self, Format};
use mandat::model::{Content, EntityKind};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Docx, Format::Html, Format::Markdown, Format::Text] {
        let Ok(doc) = import::read(format, data) else { continue };
        let imported = import::import(&doc, "fuzz.txt", &Content::default(), None).expect("a draft is always laid out");
        assert_eq!(mandat::fmt::format(&imported.file, EntityKind::Body).as_deref(), Ok(imported.file.as_str()));
    }
});
