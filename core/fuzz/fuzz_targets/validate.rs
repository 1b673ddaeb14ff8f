//! Validation of arbitrary serverless.yml text: never a panic, and every
//! location it gives lies inside the text.
#![no_main]

use canaria_core::validate::{Options, validate_source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Lines break as YAML breaks them: at `\r\n`, `\r` or `\n`.
    let lines = canaria_core::yaml::end_of(text).line;
    for diagnostic in validate_source(text, &Options::default()) {
        if let Some(location) = diagnostic.location {
            assert!(location.line >= 1 && location.line <= lines, "line {} of {lines}", location.line);
            assert!(location.column >= 1);
        }
    }
});
