//! Standalone compile of arbitrary serverless.yml text: never a panic, the
//! same text gives the same bytes, and a template is written exactly when
//! there is no error.
#![no_main]

use canaria_core::compile::{Options, compile_source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let first = compile_source(text, &Options::default());
    let errors = first.diagnostics.iter().any(canaria_core::Diagnostic::is_error);
    assert_eq!(first.template.is_none(), errors, "{:?}", first.diagnostics);
    let second = compile_source(text, &Options::default());
    assert_eq!(serde_json::to_string(&first.template).ok(), serde_json::to_string(&second.template).ok());
});
