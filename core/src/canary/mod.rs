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

pub(crate) use rewire::{FRAMEWORK_ALIASES, SOURCE_KINDS};
pub use traffic::{PREDEFINED, ShiftError, TrafficShift};

use std::collections::{HashMap, HashSet};

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
    /// `alias`, as a string.
    alias_name: String,
}

impl Canary<'_> {
    fn setting(&self, key: &str) -> Option<&Value> {
        self.settings.get(key)
    }

    fn has_hook(&self) -> bool {
        ["preTrafficHook", "postTrafficHook"].iter().any(|hook| self.setting(hook).is_some_and(truthy))
    }

    /// The hook functions' keys, pre then post.
    fn hooks(&self) -> impl Iterator<Item = &str> {
        ["preTrafficHook", "postTrafficHook"]
            .into_iter()
            .filter_map(|hook| self.setting(hook).and_then(Value::as_str).filter(|h| !h.is_empty()))
    }

    /// The traffic shift of a `type` that is not predefined, which needs an
    /// `AWS::CodeDeploy::DeploymentConfig` of its own.
    fn custom_shift(&self) -> Option<TrafficShift> {
        let shift = match self.setting("type")? {
            Value::String(name) if PREDEFINED.contains(&name.as_str()) => return None,
            Value::String(name) => TrafficShift::parse(name)?,
            Value::Object(object) => TrafficShift::from_object(object).ok()?,
            _ => return None,
        };
        (!shift.is_predefined()).then_some(shift)
    }
}

/// An opt-in flag of `custom.deploymentSettings`: only `true` switches it on.
fn opted_in(global: &Map<String, Value>, key: &str) -> bool {
    global.get(key) == Some(&Value::Bool(true))
}

/// The partition ARNs are written for: the literal `aws` the original
/// writes, unless the region is in the aws-cn or aws-us-gov partition.
fn partition(region: &str) -> rewire::Partition {
    if region.starts_with("cn-") || region.starts_with("us-gov-") {
        rewire::Partition::Pseudo
    } else {
        rewire::Partition::Aws
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
    static NO_SETTINGS: Value = Value::Null;
    let own = |config: &'s Value| config.as_object().and_then(|c| c.get("deploymentSettings"));
    // `allFunctions: true`: every function deploys gradually with the global
    // settings, but the hook functions, and those that say
    // `deploymentSettings: false`.
    let all_functions = opted_in(&global, "allFunctions");
    let hooks: HashSet<&str> = if all_functions {
        let hook = |settings: &'s Value| {
            ["preTrafficHook", "postTrafficHook"].into_iter().filter_map(|h| settings.get(h).and_then(Value::as_str))
        };
        let global_hooks = ["preTrafficHook", "postTrafficHook"]
            .into_iter()
            .filter_map(|h| service.custom.get("deploymentSettings")?.get(h)?.as_str());
        global_hooks.chain(service.functions.values().filter_map(own).flat_map(hook)).collect()
    } else {
        HashSet::new()
    };
    let canaries = service
        .functions
        .iter()
        .filter_map(|(key, config)| match own(config) {
            Some(Value::Bool(false)) if all_functions => None,
            Some(settings) => Some((key, settings)),
            None if all_functions && !hooks.contains(key.as_str()) => Some((key, &NO_SETTINGS)),
            None => None,
        })
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
    let by_logical_id: HashMap<&str, usize> =
        canaries.iter().enumerate().map(|(i, c)| (c.logical_id.as_str(), i)).collect();
    let by_deployed_name: HashMap<&str, usize> = canaries
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((service.functions.get(c.key)?.get("name")?.as_str()?, i)))
        .collect();
    let logical_ids = canaries.iter().map(|c| c.logical_id.as_str()).collect();
    let functions = rewire::Functions { logical_ids, by_logical_id, by_deployed_name };
    let index = rewire::Index::build(template_resources, &functions);
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

    let partition = partition(&service.region);
    let app = format!("{}DeploymentApplication", naming::alphanumeric_only(&service.stack_name));
    let mut out = Map::new();
    let mut removed = Vec::new();
    out.insert(app.clone(), resources::application());
    if !global.get("codeDeployRole").is_some_and(truthy) {
        let with_triggers = canaries.iter().any(|c| c.setting("triggerConfigurations").is_some_and(truthy));
        // `codeDeployRoleLeastPrivilege: true`: invoke the hooks, nothing else.
        let hooks: Option<Vec<String>> = opted_in(&global, "codeDeployRoleLeastPrivilege").then(|| {
            let mut hooks: Vec<String> = Vec::new();
            for hook in canaries.iter().flat_map(Canary::hooks).map(naming::lambda_logical_id) {
                if !hooks.contains(&hook) {
                    hooks.push(hook);
                }
            }
            hooks
        });
        let role = resources::RoleOptions {
            permissions_boundary: global.get("codeDeployRolePermissionsBoundary"),
            with_triggers,
            partition,
            invoked_hooks: hooks.as_deref(),
        };
        out.insert("CodeDeployServiceRole".into(), resources::code_deploy_role(&role));
    }
    let group_name = |canary: &Canary<'_>| group_name(&service.stack_name, canary);
    let hooked_groups: Vec<String> = canaries.iter().filter(|c| c.has_hook()).map(group_name).collect();
    if let Some(role) = template_resources.get(naming::EXECUTION_ROLE_LOGICAL_ID)
        && let Some(role) = resources::execution_role_with_hook_grant(role, &app, &hooked_groups)
    {
        out.insert(naming::EXECUTION_ROLE_LOGICAL_ID.into(), role);
    }

    for (position, canary) in canaries.iter().enumerate() {
        let config = canary.custom_shift().map(|shift| {
            let id = format!("{}DeploymentConfig", shift.name());
            if !out.contains_key(&id) {
                out.insert(id.clone(), resources::deployment_config(shift));
            }
            id
        });
        let group = format!("{}DeploymentGroup", canary.logical_id);
        out.insert(
            group.clone(),
            resources::deployment_group(
                &app,
                &group_name(canary),
                &canary.settings,
                resources::deployment_config_name(canary.setting("type"), config.as_deref()),
            ),
        );
        let version = index.versions[position].unwrap_or_default();
        // provisionedConcurrency moves from the Framework's `provisioned`
        // alias onto the canary alias, which then takes all the traffic.
        // The Framework's `snapstart` alias (snapStart) goes the same way.
        let provisioned = index.provisioned[position];
        // A pass over its own output finds it on the canary alias instead.
        let holder = provisioned.map_or(canary.alias_logical_id.as_str(), |framework| framework.id);
        let concurrency =
            template_resources.get(holder).and_then(|alias| alias.pointer("/Properties/ProvisionedConcurrencyConfig"));
        out.insert(canary.alias_logical_id.clone(), resources::alias(canary, version, &app, &group, concurrency));
        if let Some(provisioned) = provisioned {
            removed.push(provisioned.id.to_owned());
            for &id in &index.provisioned_users[position] {
                rewire::rewrite(&mut out, template_resources, id, |resource| {
                    let alias = &canary.alias_logical_id;
                    rewire::provisioned_user(resource, provisioned, &canary.logical_id, alias, &canary.alias_name);
                });
            }
        }
        for &id in &index.permissions[position] {
            rewire::rewrite(&mut out, template_resources, id, |resource| {
                rewire::permission(resource, &canary.alias_logical_id);
            });
        }
        let alias = rewire::Alias {
            logical_id: &canary.alias_logical_id,
            name: &canary.alias_name,
            rest_uri_partition: partition,
        };
        for &id in &index.sources[position] {
            rewire::rewrite(&mut out, template_resources, id, |resource| {
                rewire::event_source(resource, &canary.logical_id, &alias);
            });
        }
        for unmovable in &index.unmovable[position] {
            diagnostics.push(match *unmovable {
                rewire::Unmovable::Custom(id, kind) => diagnostic::source_bypasses_canary(
                    format!("functions.{}", canary.key),
                    id,
                    kind,
                    "the Framework's custom resource configures the source with the function's name, not an alias; let the stack create the source (drop `existing: true`, or set `provider.eventBridge.useCloudFormation: true`) so canaria can move it",
                ),
                rewire::Unmovable::Edge(id) => diagnostic::source_bypasses_canary(
                    format!("functions.{}", canary.key),
                    id,
                    "AWS::CloudFront::Distribution",
                    "Lambda@Edge runs a published version at CloudFront, and CodeDeploy shifts traffic only on the alias; deploy edge functions without deploymentSettings",
                ),
            });
        }
    }
    Plan { resources: out, removed, diagnostics }
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
