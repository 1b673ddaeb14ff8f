//! The JSON-string surface every binding exposes unchanged.
//!
//! Templates cross the host boundary as JSON text: one `JSON.stringify` and
//! one `JSON.parse` on the JavaScript side, no per-node marshalling, and the
//! native and WebAssembly builds return byte-identical strings.

use std::fmt;

use crate::{Service, canary};

/// The host handed over something that is not the documented input shape.
/// This is a programming error in the host glue, never a user mistake.
#[derive(Debug)]
pub struct InputError {
    what: &'static str,
    source: serde_json::Error,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "canaria: invalid {} JSON: {}", self.what, self.source)
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn parse<T: serde::de::DeserializeOwned>(what: &'static str, text: &str) -> Result<T, InputError> {
    serde_json::from_str(text).map_err(|source| InputError { what, source })
}

/// Runs the canary pass on a template and a [`Service`], both JSON text.
/// Returns the [`canary::Plan`] as JSON: `{"resources": {…}, "diagnostics": […]}`.
pub fn canary_pass(template: &str, service: &str) -> Result<String, InputError> {
    let template: serde_json::Value = parse("template", template)?;
    let service: Service = parse("service", service)?;
    let plan = canary::plan(&template, &service);
    serde_json::to_string(&plan).map_err(|source| InputError { what: "plan", source })
}
