//! Any text as a body file: `fmt` never panics, and what it writes is canonical (a second
//! run changes nothing).
#![no_main]
use libfuzzer_sys::fuzz_target;
use mandat::model::EntityKind;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(formatted) = mandat::fmt::format(text, EntityKind::Body) {
        assert_eq!(
            mandat::fmt::format(&formatted, EntityKind::Body).as_deref(),
            Ok(formatted.as_str()),
            "not idempotent"
        );
    }
});
