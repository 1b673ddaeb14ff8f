//! The JSON-string surface every binding exposes unchanged.
//!
//! Templates cross the host boundary as JSON text: one `JSON.stringify` and
//! one `JSON.parse` on the JavaScript side, no per-node marshalling, and the
//! native and WebAssembly builds return byte-identical strings.

use std::fmt;

use crate::input::Keep;
use crate::{Service, alerts, canary};

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

/// The template and service of a pass, from JSON text. The template keeps
/// only what the passes read (see [`crate::input`]); the resources the user's
/// `resources:` block names are kept whole, so merging it works as on the
/// full template.
fn inputs(template: &str, service: &str, reads: Keep<'_>) -> Result<(serde_json::Value, Service), InputError> {
    let service: Service = parse("service", service)?;
    let template = read_template(template, &service, reads, &[])?;
    Ok((template, service))
}

/// [`crate::input::read_template`], keeping whole what `reads`, the
/// resources the user's `resources:` names and the `also` listed.
fn read_template(
    text: &str,
    service: &Service,
    reads: Keep<'_>,
    also: &[&str],
) -> Result<serde_json::Value, InputError> {
    let user = service.resources.get("Resources").and_then(serde_json::Value::as_object);
    let keep = |id: &str, kind: Option<&str>| {
        reads(id, kind) || user.is_some_and(|user| user.contains_key(id)) || also.contains(&id)
    };
    crate::input::read_template(text, &keep).map_err(|source| InputError { what: "template", source })
}

fn to_json(plan: &crate::Plan) -> Result<String, InputError> {
    serde_json::to_string(plan).map_err(|source| InputError { what: "plan", source })
}

/// Runs the alerts pass on a template and a [`Service`], both JSON text.
/// Returns the [`crate::Plan`] as JSON: `{"resources": {…}, "diagnostics": […]}`.
///
/// It runs first, so it also reports the canary pass's errors, found on the
/// template as it will be when the canary pass runs (with these alarms and
/// the user's `resources:` merged): one `sls package` lists every mistake.
pub fn alerts_pass(template: &str, service: &str) -> Result<String, InputError> {
    // The alerts pass reads only the logical IDs; the checks ahead, the versions.
    let reads = &crate::input::check_reads_properties;
    let (mut template, service) = inputs(template, service, reads)?;
    let plan = alerts::plan(&template, &service);
    // The template as the canary checks will find it.
    if let Some(resources) = template.get_mut("Resources").and_then(serde_json::Value::as_object_mut) {
        resources.extend(
            plan.resources.iter().map(|(id, resource)| (id.clone(), crate::input::reduced(id, resource, reads))),
        );
    }
    service.merge_user_resources(&mut template);
    let canary = canary::check(&template, &service);
    if !plan.has_errors() && !canary.iter().any(crate::Diagnostic::is_error) {
        return to_json(&plan);
    }
    // The run stops here: report what the canary pass would report too.
    let mut diagnostics = plan.diagnostics;
    diagnostics.extend(canary);
    to_json(&crate::Plan::refused(diagnostics))
}

/// Runs the canary pass on a template and a [`Service`], both JSON text.
/// Returns the [`crate::Plan`] as JSON: `{"resources": {…}, "diagnostics": […]}`.
///
/// The canary pass is the last to change the template, so it also reports
/// the CloudFormation quotas the finished template exceeds (as warnings).
pub fn canary_pass(template: &str, service: &str) -> Result<String, InputError> {
    let text = template;
    let mut reads: Keep<'_> = &crate::input::reads_properties;
    let (mut template, service) = inputs(text, service, reads)?;
    if crate::input::has_provisioned_alias(&template) {
        reads = &crate::input::reads_everything;
        template = read_template(text, &service, reads, &[])?;
    }
    let plan = canary::plan(&template, &service);
    if plan.has_errors() {
        return to_json(&plan);
    }
    // The size quota counts what the plan replaces. A stub it replaces
    // (another plugin's resource of the same logical ID) is read whole.
    let existing = template.get("Resources").and_then(serde_json::Value::as_object);
    let stubbed: Vec<&str> = plan
        .resources
        .keys()
        .filter(|id| existing.and_then(|r| r.get(*id)).is_some_and(crate::input::is_stub))
        .map(String::as_str)
        .collect();
    if !stubbed.is_empty() {
        template = read_template(text, &service, reads, &stubbed)?;
    }
    // The resources are written out once; their lengths feed the quota check,
    // whose warnings join the diagnostics written after them.
    let wrote = |source| InputError { what: "plan", source };
    let mut out = Vec::with_capacity(text.len() / 2);
    out.extend_from_slice(br#"{"resources":{"#);
    let mut sizes = Vec::with_capacity(plan.resources.len());
    for (i, (id, resource)) in plan.resources.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, id).map_err(wrote)?;
        out.push(b':');
        let start = out.len();
        serde_json::to_writer(&mut out, resource).map_err(wrote)?;
        sizes.push((id.as_str(), out.len() - start));
    }
    let mut diagnostics = plan.diagnostics;
    diagnostics.extend(crate::quota::check_sized(&template, sizes, text.len()));
    out.push(b'}');
    if !plan.removed.is_empty() {
        out.extend_from_slice(br#","removed":"#);
        serde_json::to_writer(&mut out, &plan.removed).map_err(wrote)?;
    }
    out.extend_from_slice(br#","diagnostics":"#);
    serde_json::to_writer(&mut out, &diagnostics).map_err(wrote)?;
    out.push(b'}');
    // serde_json writes UTF-8 only.
    String::from_utf8(out).map_err(|e| wrote(serde::ser::Error::custom(e)))
}

/// Reads serverless.yml text as the Serverless Framework reads it. Returns
/// `{"value": <the document, or null>, "diagnostics": […]}` as JSON text.
pub fn load_yaml(text: &str) -> String {
    let (value, diagnostics) = match crate::yaml::load(text) {
        Ok(source) => (source.value, Vec::new()),
        Err(diagnostic) => (serde_json::Value::Null, vec![diagnostic]),
    };
    serde_json::json!({"value": value, "diagnostics": diagnostics}).to_string()
}

/// Validates serverless.yml text. `options` is JSON text
/// (`{"stage", "region"}`, both optional). Returns `{"diagnostics": […]}`
/// as JSON text, each diagnostic with its line and column.
pub fn validate(text: &str, options: &str) -> Result<String, InputError> {
    let options: crate::validate::Options = parse("options", options)?;
    let diagnostics = crate::validate::validate_source(text, &options);
    Ok(serde_json::json!({ "diagnostics": diagnostics }).to_string())
}

/// Compiles serverless.yml text into the template `sls package` writes.
/// `options` is JSON text (`{"stage", "region", "params", "env", "files"}`,
/// all optional). Returns `{"template": {…} | null, "diagnostics": […],
/// "resources": {"added": […], "rewired": […]}}` as JSON text.
pub fn compile(text: &str, options: &str) -> Result<String, InputError> {
    let options: crate::compile::Options = parse("options", options)?;
    let compiled = crate::compile::compile_source(text, &options);
    serde_json::to_string(&compiled).map_err(|source| InputError { what: "result", source })
}

/// Writes JSON text as block-style YAML (for `compile --format yaml`).
pub fn to_yaml(json: &str) -> Result<String, InputError> {
    let value: serde_json::Value = parse("value", json)?;
    Ok(crate::yaml::to_yaml(&value))
}

/// Reads serverless.yml text and resolves its variables (see
/// [`crate::variables`]). `options` is JSON text: `{"stage", "region",
/// "params": {k: v}, "env": {k: v}, "files": {path: text}}`, all optional.
/// Returns `{"config": <the resolved configuration, or null>, "diagnostics": […]}`
/// as JSON text, each diagnostic placed at its line and column.
pub fn resolve_config(text: &str, options: &str) -> Result<String, InputError> {
    let context: crate::variables::Context = parse("options", options)?;
    let (config, diagnostics) = match crate::yaml::load(text) {
        Ok(source) => {
            let mut config = source.value.clone();
            let diagnostics = crate::variables::resolve(&mut config, &context);
            let located: Vec<_> = diagnostics.into_iter().map(|d| crate::validate::locate(d, &source)).collect();
            (config, located)
        }
        Err(diagnostic) => (serde_json::Value::Null, vec![diagnostic]),
    };
    Ok(serde_json::json!({"config": config, "diagnostics": diagnostics}).to_string())
}

/// The traffic-shifting schedule of a predefined deployment type as JSON
/// text, for drawing it: `{"type", "description", "totalMinutes", "steps":
/// [{"minute", "percent"}…]}` (see [`canary::TrafficShift::steps`]), or
/// `null` for a name that is not one of [`canary::PREDEFINED`].
pub fn traffic_shift(type_name: &str) -> String {
    let Some(shift) = canary::TrafficShift::predefined(type_name) else {
        return "null".to_owned();
    };
    let steps: Vec<_> = shift
        .steps()
        .into_iter()
        .map(|(minute, percent)| serde_json::json!({"minute": minute, "percent": percent}))
        .collect();
    serde_json::json!({
        "type": type_name,
        "description": shift.to_string(),
        "totalMinutes": shift.total_minutes(),
        "steps": steps,
    })
    .to_string()
}
