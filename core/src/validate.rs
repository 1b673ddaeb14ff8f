//! Validation of serverless.yml text, without the Framework: the same
//! checks the plugin runs, each finding placed at its line and column.

use serde_json::{Map, Value, json};

use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Source};
use crate::{Service, alerts, canary, naming};

/// What the Framework would take from the command line and the
/// environment: stage, region, `--param`s, the environment and the files
/// `${file(…)}` reads.
pub type Options = crate::variables::Context;

/// Every finding in a serverless.yml, in the order the passes find them.
///
/// Variables (`${…}`) are not resolved here: values that hold one are not
/// judged. The template the passes run over holds what the checks need: a
/// function and a version per function, and the `resources:` the user wrote.
pub fn validate_source(text: &str, options: &Options) -> Vec<Diagnostic> {
    let source = match yaml::load(text) {
        Ok(source) => source,
        Err(diagnostic) => return vec![diagnostic],
    };
    let mut resolved = source.value.clone();
    let mut diagnostics = crate::variables::resolve(&mut resolved, options);
    let config = &resolved;
    let service = service(config, options);
    // As in `sls package`: functions, then alerts (compileEvents), then the
    // user's `resources:` merged over everything, then the canary.
    let mut template = skeleton(&service, versioned(config));
    let alerts = alerts::plan(&template, &service);
    // Merged even with errors: the canary checks need to know which alarms
    // the alerts create, or every reference to them would look unknown.
    if let Some(resources) = template["Resources"].as_object_mut() {
        resources.extend(alerts.resources);
    }
    diagnostics.extend(alerts.diagnostics);
    service.merge_user_resources(&mut template);
    let canary = canary::plan(&template, &service);
    let quotas = if canary.has_errors() {
        Vec::new()
    } else {
        // The template here lacks what events compile to, so these counts
        // are a floor: what they flag, the full template exceeds too.
        crate::quota::check(&template, &canary, template.to_string().len())
    };
    diagnostics.extend(canary.diagnostics);
    diagnostics.extend(quotas);
    diagnostics.into_iter().map(|d| locate(d, &source)).collect()
}

/// Places a diagnostic at its key (unknown keys) or value, or at the
/// nearest ancestor that was written.
pub(crate) fn locate(diagnostic: Diagnostic, source: &Source) -> Diagnostic {
    if diagnostic.location.is_some() {
        return diagnostic;
    }
    let path = diagnostic.path.as_str();
    let exact = if diagnostic.on_key { source.key_location(path) } else { source.value_location(path) };
    match exact.or_else(|| source.nearest_location(path)) {
        Some(location) => diagnostic.at(location),
        None => diagnostic,
    }
}

fn text<'v>(value: &'v Value, path: &[&str]) -> Option<&'v str> {
    path.iter().try_fold(value, |v, key| v.get(key))?.as_str()
}

/// The [`Service`] the Framework would resolve from `config`.
pub(crate) fn service(config: &Value, options: &Options) -> Service {
    let name = text(config, &["service"]).or_else(|| text(config, &["service", "name"])).unwrap_or_default().to_owned();
    let stage = options
        .stage
        .clone()
        .or_else(|| text(config, &["provider", "stage"]).map(str::to_owned))
        .unwrap_or_else(|| "dev".into());
    let region = options
        .region
        .clone()
        .or_else(|| text(config, &["provider", "region"]).map(str::to_owned))
        .unwrap_or_else(|| "us-east-1".into());
    let stack_name = text(config, &["provider", "stackName"]).map_or_else(|| format!("{name}-{stage}"), str::to_owned);
    let mut functions = config.get("functions").and_then(Value::as_object).cloned().unwrap_or_default();
    for (key, function) in &mut functions {
        if let Some(function) = function.as_object_mut() {
            function.entry("name").or_insert_with(|| json!(format!("{name}-{stage}-{key}")));
        }
    }
    let custom = config.get("custom").and_then(Value::as_object).cloned().unwrap_or_default();
    let resources = config.get("resources").cloned().unwrap_or(Value::Null);
    serde_json::from_value(json!({
        "service": name, "stackName": stack_name, "stage": stage, "region": region,
        "custom": custom, "resources": resources, "functions": functions
    }))
    .unwrap_or_default()
}

/// `provider.versionFunctions` is not `false`.
fn versioned(config: &Value) -> bool {
    config.get("provider").and_then(|p| p.get("versionFunctions")) != Some(&Value::Bool(false))
}

/// What `package:compileFunctions` leaves in the template that the checks
/// read: each function, with a version when functions are versioned.
fn skeleton(service: &Service, versioned: bool) -> Value {
    let mut resources = Map::new();
    for key in service.functions.keys() {
        let id = naming::lambda_logical_id(key);
        resources.insert(id.clone(), json!({"Type": "AWS::Lambda::Function", "Properties": {}}));
        if versioned {
            resources.insert(
                format!("{}LambdaVersion", naming::normalized_resource_name(key)),
                json!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
            );
        }
    }
    json!({"Resources": resources, "Parameters": {}, "Outputs": {}})
}
