//! canaria's WebAssembly build: the same functions as the N-API addon
//! (`bindings-node`), with the same names and the same JSON-text results, so
//! one JavaScript test suite runs against both.
//!
//! The crate is built for `wasm32-unknown-unknown` with `panic = "abort"`
//! (profile `wasm-release`): a panic traps the instance with `unreachable`.
//! The JavaScript wrapper (`bindings-wasm/wrapper.js`) catches the trap,
//! reads the panic message recorded here, recreates the instance and throws
//! an `Error`, so the next call works. Nothing here is host-specific beyond
//! the `#[wasm_bindgen]` edge; all logic lives in `canaria-core`.

use std::sync::{Mutex, Once};

use wasm_bindgen::prelude::*;

/// The message of the last panic, kept for the wrapper to read after the
/// trap (the instance's memory outlives the trap).
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Records panic messages instead of printing them; the wrapper turns the
/// trap that follows into an `Error` carrying this message.
fn record_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if let Ok(mut last) = LAST_PANIC.lock() {
                *last = info.to_string();
            }
        }));
    });
}

fn js_error(error: &canaria_core::InputError) -> JsError {
    JsError::new(&error.to_string())
}

/// Runs the canary pass. Takes the compiled template and the service as JSON
/// text; returns `{"resources": {…}, "diagnostics": […]}` as JSON text.
#[wasm_bindgen(js_name = canaryPass)]
pub fn canary_pass(template: &str, service: &str) -> Result<String, JsError> {
    record_panics();
    canaria_core::canary_pass(template, service).map_err(|e| js_error(&e))
}

/// Runs the alerts pass (serverless-plugin-aws-alerts' `package:compileEvents`
/// step). Same input and output shapes as `canaryPass`.
#[wasm_bindgen(js_name = alertsPass)]
pub fn alerts_pass(template: &str, service: &str) -> Result<String, JsError> {
    record_panics();
    canaria_core::alerts_pass(template, service).map_err(|e| js_error(&e))
}

/// Reads serverless.yml text as the Serverless Framework reads it (js-yaml 4
/// with the CloudFormation tags). Returns `{"value", "diagnostics"}` as JSON text.
#[wasm_bindgen(js_name = loadYaml)]
pub fn load_yaml(text: &str) -> String {
    record_panics();
    canaria_core::load_yaml(text)
}

/// Validates serverless.yml text without the Framework. `options` is JSON
/// text (`{"stage", "region"}`); returns `{"diagnostics": […]}` as JSON text,
/// each diagnostic with its line and column.
#[wasm_bindgen]
pub fn validate(text: &str, options: &str) -> Result<String, JsError> {
    record_panics();
    canaria_core::validate(text, options).map_err(|e| js_error(&e))
}

/// Compiles serverless.yml text into the CloudFormation template
/// `sls package` writes, without the Framework. `options` is JSON text
/// (`{"stage", "region", "params", "env", "files"}`); returns
/// `{"template", "diagnostics", "resources": {"added", "rewired"}}` as JSON text.
#[wasm_bindgen]
pub fn compile(text: &str, options: &str) -> Result<String, JsError> {
    record_panics();
    canaria_core::compile(text, options).map_err(|e| js_error(&e))
}

/// Reads serverless.yml text and resolves its variables as serverless v3
/// would, offline. `options` is JSON text (`{"stage", "region", "params",
/// "env", "files"}`, all optional); returns `{"config", "diagnostics"}` as
/// JSON text.
#[wasm_bindgen(js_name = resolveConfig)]
pub fn resolve_config(text: &str, options: &str) -> Result<String, JsError> {
    record_panics();
    canaria_core::resolve_config(text, options).map_err(|e| js_error(&e))
}

/// Writes JSON text as block-style YAML that reads back as the same value.
#[wasm_bindgen(js_name = toYaml)]
pub fn to_yaml(json: &str) -> Result<String, JsError> {
    record_panics();
    canaria_core::to_yaml(json).map_err(|e| js_error(&e))
}

/// A predefined deployment type in words, e.g. `Canary10Percent5Minutes` →
/// "10% of traffic for 5 minutes, then the rest"; `null` for other names.
#[wasm_bindgen(js_name = describeDeploymentType)]
pub fn describe_deployment_type(type_name: &str) -> JsValue {
    record_panics();
    match canaria_core::canary::TrafficShift::predefined(type_name) {
        Some(shift) => JsValue::from_str(&shift.to_string()),
        // The addon returns `null` here; wasm-bindgen's `Option` would give `undefined`.
        None => JsValue::NULL,
    }
}

/// The schedule of a predefined deployment type as JSON text (see
/// `canaria_core::traffic_shift`); `null` for other names.
#[wasm_bindgen(js_name = trafficShift)]
pub fn traffic_shift(type_name: &str) -> String {
    record_panics();
    canaria_core::traffic_shift(type_name)
}

/// The version of the core this build was made from.
#[wasm_bindgen]
pub fn version() -> String {
    record_panics();
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The message of the last panic, then forgets it; empty when there was none.
/// The wrapper calls this on the trapped instance before replacing it.
#[wasm_bindgen(js_name = __takePanic)]
pub fn take_panic() -> String {
    LAST_PANIC.lock().map(|mut last| std::mem::take(&mut *last)).unwrap_or_default()
}

/// Panics with `message`. Exists only so the tests can prove that a panic
/// becomes an `Error` and that the next call works; the core never panics on
/// any input.
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests(message: &str) {
    record_panics();
    panic!("{message}");
}
