//! What the standalone-compile tests share: compiling with default options
//! and reading diagnostics as `(code, severity, path, line:column)`.

use canaria_core::compile::{Compiled, Options, compile_source};
use canaria_core::{Location, Severity};

/// `(code, severity, path, line:column)` of a diagnostic.
pub type Found = (String, Severity, String, Option<(usize, usize)>);

pub fn compile(text: &str) -> Compiled {
    compile_source(text, &Options::default())
}

/// `(code, severity, path, line:column)` of every diagnostic.
pub fn found(text: &str) -> Vec<Found> {
    compile(text)
        .diagnostics
        .into_iter()
        .map(|d| (d.code.to_owned(), d.severity, d.path, d.location.map(|Location { line, column }| (line, column))))
        .collect()
}
