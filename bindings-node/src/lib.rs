//! canaria's N-API addon: a thin layer over `canaria-core`.
//!
//! Every export is synchronous and wrapped in `catch_unwind`, so a panic in
//! the core becomes a JavaScript `Error` instead of aborting Node. Templates
//! cross as JSON text (see `canaria_core::canary_pass`).

use std::sync::Once;

use napi::{Error, Result, Status};
use napi_derive::napi;

/// Replaces the default panic hook, which would print a backtrace to stderr
/// in the middle of `sls package`. The panic still reaches JavaScript as an
/// `Error` through `catch_unwind`.
fn quiet_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

/// Runs the canary pass. Takes the compiled template and the service as JSON
/// text; returns `{"resources": {…}, "diagnostics": […]}` as JSON text.
#[napi(catch_unwind)]
pub fn canary_pass(template: String, service: String) -> Result<String> {
    quiet_panics();
    canaria_core::canary_pass(&template, &service).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}

/// The version of the core this addon was built from.
#[napi(catch_unwind)]
pub fn version() -> String {
    quiet_panics();
    env!("CARGO_PKG_VERSION").to_owned()
}

/// A predefined deployment type in words, e.g. `Canary10Percent5Minutes` →
/// "10% of traffic for 5 minutes, then the rest"; `null` for other names.
#[napi(catch_unwind)]
pub fn describe_deployment_type(type_name: String) -> Option<String> {
    quiet_panics();
    canaria_core::canary::TrafficShift::predefined(&type_name).map(|shift| shift.to_string())
}

/// Runs the alerts pass (serverless-plugin-aws-alerts' `package:compileEvents`
/// step). Same input and output shapes as `canaryPass`.
#[napi(catch_unwind)]
pub fn alerts_pass(template: String, service: String) -> Result<String> {
    quiet_panics();
    canaria_core::alerts_pass(&template, &service).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}

/// Reads serverless.yml text as the Serverless Framework reads it (js-yaml 4
/// with the CloudFormation tags). Returns `{"value", "diagnostics"}` as JSON text.
#[napi(catch_unwind)]
pub fn load_yaml(text: String) -> String {
    quiet_panics();
    canaria_core::load_yaml(&text)
}

/// Validates serverless.yml text without the Framework. `options` is JSON
/// text (`{"stage", "region"}`); returns `{"diagnostics": […]}` as JSON text,
/// each diagnostic with its line and column.
#[napi(catch_unwind)]
pub fn validate(text: String, options: String) -> Result<String> {
    quiet_panics();
    canaria_core::validate(&text, &options).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}

/// Compiles serverless.yml text into the CloudFormation template
/// `sls package` writes, without the Framework. `options` is JSON text
/// (`{"stage", "region", "params", "env", "files"}`); returns
/// `{"template", "diagnostics", "resources": {"added", "rewired"}}` as JSON text.
#[napi(catch_unwind)]
pub fn compile(text: String, options: String) -> Result<String> {
    quiet_panics();
    canaria_core::compile(&text, &options).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}

/// Writes JSON text as block-style YAML that reads back as the same value.
#[napi(catch_unwind)]
pub fn to_yaml(json: String) -> Result<String> {
    quiet_panics();
    canaria_core::to_yaml(&json).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}

/// Panics inside the addon (test builds only: the `test-panic` feature).
#[cfg(feature = "test-panic")]
#[napi(catch_unwind)]
pub fn panic_for_test(message: String) -> String {
    quiet_panics();
    panic!("{message}");
}

/// Reads serverless.yml text and resolves its variables as serverless v3
/// would, offline. `options` is JSON text (`{"stage", "region", "params",
/// "env", "files"}`, all optional); returns `{"config", "diagnostics"}` as
/// JSON text.
#[napi(catch_unwind)]
pub fn resolve_config(text: String, options: String) -> Result<String> {
    quiet_panics();
    canaria_core::resolve_config(&text, &options).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}

/// The schedule of a predefined deployment type as JSON text:
/// `{"type", "description", "totalMinutes", "steps": [{"minute", "percent"}…]}`,
/// or `null` for other names.
#[napi(catch_unwind)]
pub fn traffic_shift(type_name: String) -> String {
    quiet_panics();
    canaria_core::traffic_shift(&type_name)
}
