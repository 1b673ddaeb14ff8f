//! The canary pass: what `serverless-plugin-canary-deployments` 0.8.0 does at
//! `after:aws:package:finalize:mergeCustomProviderResources`, computed in one
//! pass over the template.
//!
//! For each function with `deploymentSettings` it adds a CodeDeploy deployment
//! group and a Lambda alias, and moves the function's permissions and event
//! sources onto the alias. The result is a [`Plan`]: the resources to add or
//! replace, in the order the original plugin assigns them, so that merging the
//! plan into `Resources` (as `Object.assign` does) reproduces its template key
//! for key.

mod resources;
mod rewire;
mod settings;
mod traffic;

pub(crate) use rewire::SOURCE_KINDS;
pub use traffic::{PREDEFINED, TrafficShift};

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::diagnostic::{self, Diagnostic};
use crate::js::truthy;
use crate::naming;
use crate::plan::Plan;
use crate::service::Service;

/// One function that takes part in the canary pass.
struct Canary<'s> {
    /// Key under `functions:`.
    key: &'s str,
    /// `HelloLambdaFunction`.
    logical_id: String,
    /// Global settings shallowly overridden by the function's own.
    settings: Map<String, Value>,
    /// `<Fn>Alias<alias>`.
    alias_logical_id: String,
}

impl Canary<'_> {
    fn setting(&self, key: &str) -> Option<&Value> {
        self.settings.get(key)
    }

    fn has_hook(&self) -> bool {
        ["preTrafficHook", "postTrafficHook"].iter().any(|hook| self.setting(hook).is_some_and(truthy))
    }
}

/// The functions that deploy gradually, with their merged settings, after
/// the checks that need no template. `None` when the stage is switched off.
fn canaries<'s>(
    service: &'s Service,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Map<String, Value>, Vec<Canary<'s>>)> {
    let global = match service.custom.get("deploymentSettings") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(settings)) => settings.clone(),
        Some(other) => {
            diagnostics.push(diagnostic::settings_not_object("custom.deploymentSettings".into(), other));
            return Some((Map::new(), Vec::new()));
        }
    };
    if !stage_enabled(global.get("stages"), &service.stage) {
        return None;
    }
    let functions: Vec<&str> = service.functions.keys().map(String::as_str).collect();
    settings::check("custom.deploymentSettings", &global, true, &functions, diagnostics);
    let canaries = service
        .functions
        .iter()
        .filter_map(|(key, config)| Some((key, config.as_object()?.get("deploymentSettings")?)))
        .filter_map(|(key, own)| settings::merge(key, &global, own, &functions, diagnostics))
        .collect();
    Some((global, canaries))
}

/// Computes the canary pass for `template` (the compiled CloudFormation
/// template) and `service`. The template is only read.
pub fn plan(template: &Value, service: &Service) -> Plan {
    run(template, service, true)
}

/// What [`plan`] reports, without building the resources (which raise no
/// diagnostic): the checks ahead of the canary pass.
pub fn check(template: &Value, service: &Service) -> Vec<Diagnostic> {
    run(template, service, false).diagnostics
}

fn run(template: &Value, service: &Service, build: bool) -> Plan {
    let mut diagnostics = Vec::new();
    let Some((global, canaries)) = canaries(service, &mut diagnostics) else { return Plan::default() };
    if canaries.is_empty() {
        return Plan::refused(diagnostics);
    }

    let empty = Map::new();
    let template_resources = template.get("Resources").and_then(Value::as_object).unwrap_or(&empty);
    let positions: HashMap<&str, usize> =
        canaries.iter().enumerate().map(|(i, c)| (c.logical_id.as_str(), i)).collect();
    let index = rewire::Index::build(template_resources, &positions);
    for (canary, version) in canaries.iter().zip(&index.versions) {
        if version.is_none() {
            diagnostics.push(diagnostic::no_function_version(
                format!("functions.{}.deploymentSettings", canary.key),
                &canary.logical_id,
            ));
        }
    }
    check_alarm_references(&canaries, template, service, &mut diagnostics);
    check_group_names(&canaries, &service.stack_name, &mut diagnostics);
    if !build || diagnostics.iter().any(Diagnostic::is_error) {
        return Plan::refused(diagnostics);
    }

    let app = format!("{}DeploymentApplication", naming::alphanumeric_only(&service.stack_name));
    let mut out = Map::new();
    out.insert(app.clone(), resources::application());
    if !global.get("codeDeployRole").is_some_and(truthy) {
        let with_triggers = canaries.iter().any(|c| c.setting("triggerConfigurations").is_some_and(truthy));
        out.insert(
            "CodeDeployServiceRole".into(),
            resources::code_deploy_role(global.get("codeDeployRolePermissionsBoundary"), with_triggers),
        );
    }
    let group_name = |canary: &Canary<'_>| group_name(&service.stack_name, canary);
    let hooked_groups: Vec<String> = canaries.iter().filter(|c| c.has_hook()).map(group_name).collect();
    if let Some(role) = template_resources.get(naming::EXECUTION_ROLE_LOGICAL_ID)
        && let Some(role) = resources::execution_role_with_hook_grant(role, &app, &hooked_groups)
    {
        out.insert(naming::EXECUTION_ROLE_LOGICAL_ID.into(), role);
    }

    for (position, canary) in canaries.iter().enumerate() {
        let group = format!("{}DeploymentGroup", canary.logical_id);
        out.insert(group.clone(), resources::deployment_group(&app, &group_name(canary), &canary.settings));
        let version = index.versions[position].unwrap_or_default();
        out.insert(canary.alias_logical_id.clone(), resources::alias(canary, version, &app, &group));
        for &id in &index.permissions[position] {
            rewire::rewrite(&mut out, template_resources, id, |resource| {
                rewire::permission(resource, &canary.alias_logical_id);
            });
        }
        for &id in &index.sources[position] {
            rewire::rewrite(&mut out, template_resources, id, |resource| {
                rewire::event_source(resource, &canary.logical_id, &canary.alias_logical_id);
            });
        }
    }
    Plan { resources: out, diagnostics }
}

/// Global `stages`: empty or absent means every stage (`_.isEmpty`), otherwise
/// the stage must be listed (`_.includes`, which for a string is a substring test).
fn stage_enabled(stages: Option<&Value>, stage: &str) -> bool {
    match stages {
        Some(Value::Array(list)) => list.is_empty() || list.iter().any(|s| s.as_str() == Some(stage)),
        Some(Value::String(list)) => list.is_empty() || list.contains(stage),
        Some(Value::Object(map)) => map.is_empty() || map.values().any(|s| s.as_str() == Some(stage)),
        _ => true,
    }
}

/// Every alarm named by logical ID must be a resource (or a parameter) of the
/// template; CloudFormation rejects a `Ref` to anything else.
fn check_alarm_references(
    canaries: &[Canary<'_>],
    template: &Value,
    service: &Service,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let resources = template.get("Resources").and_then(Value::as_object);
    let parameters = template.get("Parameters").and_then(Value::as_object);
    let exists =
        |id: &str| resources.is_some_and(|r| r.contains_key(id)) || parameters.is_some_and(|p| p.contains_key(id));
    for canary in canaries {
        let Some(Value::Array(alarms)) = canary.setting("alarms") else { continue };
        for (i, alarm) in alarms.iter().enumerate() {
            let Some(alarm) = alarm.as_str().filter(|a| !exists(a)) else { continue };
            let alarm_ids = resources.into_iter().flatten().filter(|(_, r)| {
                r.get("Type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.starts_with("AWS::CloudWatch::") && t.ends_with("Alarm"))
            });
            let suggestion = crate::suggest::did_you_mean(alarm, alarm_ids.map(|(id, _)| id.as_str()));
            let skipped = crate::alerts::skipped_stage(service).then_some(service.stage.as_str());
            let path = format!("functions.{}.deploymentSettings.alarms[{i}]", canary.key);
            diagnostics.push(diagnostic::unknown_alarm(path, alarm, suggestion, skipped));
        }
    }
}

/// `<stack>-<Fn>DeploymentGroup`, cut to CodeDeploy's 100 characters as the
/// original cuts it (JavaScript `slice`, no hash).
fn group_name(stack_name: &str, canary: &Canary<'_>) -> String {
    naming::truncate_utf16(&format!("{stack_name}-{}DeploymentGroup", canary.logical_id), 100).to_owned()
}

/// Cut names can coincide; CloudFormation would then fail to create the
/// second group.
fn check_group_names(canaries: &[Canary<'_>], stack_name: &str, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for canary in canaries {
        let name = group_name(stack_name, canary);
        match seen.get(&name) {
            Some(other) => diagnostics.push(diagnostic::deployment_group_name_collision(
                format!("functions.{}.deploymentSettings", canary.key),
                &name,
                other,
            )),
            None => {
                seen.insert(name, canary.key);
            }
        }
    }
}
