//! Diagnostics: every user mistake canaria finds is data, never a panic.
//!
//! Each diagnostic has a stable `code` (API: the plugin, the CLI and the editor
//! branch on it), a severity, a one-sentence message, the key path it concerns
//! and, where one exists, help saying how to fix it. Each kind of mistake has
//! exactly one constructor function, so the wording lives in one place.

use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The template would be wrong or fail to deploy: nothing is written.
    Error,
    /// The template is written, but something is probably not what the user meant.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

/// One finding about the user's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable identifier, e.g. `canary/settings-not-object`.
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Dotted key path in serverless.yml, e.g. `functions.hello.deploymentSettings.alias`.
    pub path: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    fn error(code: &'static str, path: String, message: String) -> Self {
        Self { code, severity: Severity::Error, message, path, help: None }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic stops the template from being written.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Name of a JSON value's type, in the words a YAML author knows.
pub fn type_name(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `deploymentSettings` (global or per function) is neither an object nor empty.
pub fn settings_not_object(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "canary/settings-not-object",
        path,
        format!("deploymentSettings must be an object, found {}", type_name(found)),
    )
    .with_help("write the settings as keys, e.g. `deploymentSettings: { type: Canary10Percent5Minutes, alias: Live }`")
}

/// `alarms` is set but is not a list.
pub fn alarms_not_list(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error("canary/alarms-not-list", path, format!("alarms must be a list, found {}", type_name(found)))
        .with_help("write one alarm per item: `alarms: [HelloErrorsAlarm]`")
}

/// A traffic hook is set to something other than a function name.
pub fn hook_not_string(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "canary/hook-not-string",
        path,
        format!("a traffic hook must name a function of this service, found {}", type_name(found)),
    )
    .with_help("give the function's key under `functions:`, e.g. `preTrafficHook: preHook`")
}

/// The alias is missing or not a string/number.
pub fn alias_missing(path: String, found: Option<&serde_json::Value>) -> Diagnostic {
    let message = match found {
        None => "deploymentSettings has no alias".to_owned(),
        Some(value) => format!("alias must be a string, found {}", type_name(value)),
    };
    Diagnostic::error("canary/alias-missing", path, message)
        .with_help("name the Lambda alias that shifts traffic, e.g. `alias: Live`")
}

/// The function has no `AWS::Lambda::Version`, so there is nothing to shift to.
pub fn no_function_version(path: String, function_logical_id: &str) -> Diagnostic {
    Diagnostic::error(
        "canary/no-function-version",
        path,
        format!("the template has no AWS::Lambda::Version for {function_logical_id}, so the alias has no version to point at"),
    )
    .with_help("canary deployments need versioned functions: remove `provider.versionFunctions: false`")
}
