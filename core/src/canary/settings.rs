//! `deploymentSettings`: the checks on each settings object, and the shallow
//! merge of the global settings with a function's own.

use serde_json::{Map, Value};

use super::Canary;
use super::traffic::{CANARY_KEYS, LINEAR_KEYS, PREDEFINED, ShiftError, TrafficShift};
use crate::diagnostic::{self, Diagnostic};
use crate::js::{scalar_to_string, truthy};
use crate::naming;

/// Every key `deploymentSettings` has.
const KEYS: [&str; 11] = [
    "type",
    "alias",
    "preTrafficHook",
    "postTrafficHook",
    "alarms",
    "triggerConfigurations",
    "codeDeployRole",
    "codeDeployRolePermissionsBoundary",
    "stages",
    "allFunctions",
    "codeDeployRoleLeastPrivilege",
];

/// Keys read from `custom.deploymentSettings` only.
const GLOBAL_ONLY: [&str; 4] =
    ["stages", "codeDeployRolePermissionsBoundary", "allFunctions", "codeDeployRoleLeastPrivilege"];

/// The events a CodeDeploy trigger can notify.
const TRIGGER_EVENTS: [&str; 10] = [
    "DeploymentStart",
    "DeploymentSuccess",
    "DeploymentFailure",
    "DeploymentStop",
    "DeploymentRollback",
    "DeploymentReady",
    "InstanceStart",
    "InstanceSuccess",
    "InstanceFailure",
    "InstanceReady",
];

/// CodeDeploy accepts at most this many alarms per deployment group.
const MAX_ALARMS: usize = 10;

/// Checks one settings object as written (`custom.deploymentSettings` when
/// `global`, else a function's own), key by key.
pub(super) fn check(
    path: &str,
    settings: &Map<String, Value>,
    global: bool,
    functions: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    for (key, value) in settings {
        let at = format!("{path}.{key}");
        if !KEYS.contains(&key.as_str()) {
            out.push(diagnostic::unknown_key("canary", at, key, &KEYS));
            continue;
        }
        if !global && GLOBAL_ONLY.contains(&key.as_str()) {
            out.push(diagnostic::global_only_setting(at.clone(), key));
        }
        check_value(&at, key, value, functions, out);
    }
}

fn check_value(at: &str, key: &str, value: &Value, functions: &[&str], out: &mut Vec<Diagnostic>) {
    let at = at.to_owned();
    match (key, value) {
        // Empty values read as absent, as JavaScript's truthiness reads them;
        // `${…}` is a variable the Framework has not resolved yet.
        (_, v) if !truthy(v) && key != "alarms" => {}
        (_, Value::String(text)) if text.contains("${") => {}
        ("type", Value::String(kind)) if PREDEFINED.contains(&kind.as_str()) => {}
        ("type", Value::String(kind)) => match TrafficShift::parse(kind).map(TrafficShift::check) {
            Some(Ok(())) => {}
            Some(Err(ShiftError::OutOfRange(why))) => out.push(diagnostic::invalid_deployment_config(at, &why)),
            Some(Err(ShiftError::Unreadable)) | None => {
                out.push(diagnostic::unknown_deployment_type(at, kind, &PREDEFINED));
            }
        },
        ("type", Value::Object(object)) => {
            let known: Vec<&str> = CANARY_KEYS.iter().chain(&LINEAR_KEYS).copied().collect();
            for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
                out.push(diagnostic::unknown_key("canary", format!("{at}.{key}"), key, &known));
            }
            match TrafficShift::from_object(object) {
                Ok(_) => {}
                Err(ShiftError::OutOfRange(why)) => out.push(diagnostic::invalid_deployment_config(at, &why)),
                Err(ShiftError::Unreadable) => out.push(diagnostic::invalid_deployment_config(
                    at,
                    "give either `canaryPercentage` and `canaryInterval`, or `linearPercentage` and `linearInterval`",
                )),
            }
        }
        ("allFunctions" | "codeDeployRoleLeastPrivilege", Value::Bool(_)) => {}
        ("allFunctions" | "codeDeployRoleLeastPrivilege", other) => {
            out.push(diagnostic::canary_wrong_type(at, "`true` or `false`", other));
        }
        ("type", other) => out.push(diagnostic::canary_wrong_type(at, "a deployment type name", other)),
        ("alias", alias) => match scalar_to_string(alias) {
            Some(name) if valid_alias(&name) => {}
            Some(name) => out.push(diagnostic::invalid_alias(at, &name)),
            None => out.push(diagnostic::alias_missing(at, Some(alias))),
        },
        ("preTrafficHook" | "postTrafficHook", Value::String(hook)) if functions.contains(&hook.as_str()) => {}
        ("preTrafficHook" | "postTrafficHook", Value::String(hook)) => {
            out.push(diagnostic::unknown_hook(at, hook, functions));
        }
        ("preTrafficHook" | "postTrafficHook", other) => out.push(diagnostic::hook_not_string(at, other)),
        ("alarms", Value::Array(alarms)) => {
            for (i, alarm) in alarms.iter().enumerate() {
                let named = alarm.as_object().is_some_and(|a| a.contains_key("name"));
                if !alarm.is_string() && !named {
                    out.push(diagnostic::invalid_alarm_reference(format!("{at}[{i}]"), alarm));
                }
            }
        }
        ("alarms", other) if truthy(other) => out.push(diagnostic::alarms_not_list(at, other)),
        ("triggerConfigurations", Value::Array(triggers)) => {
            for (i, trigger) in triggers.iter().enumerate() {
                check_trigger(&format!("{at}[{i}]"), trigger, out);
            }
        }
        ("triggerConfigurations", other) => out.push(diagnostic::canary_wrong_type(at, "a list", other)),
        ("codeDeployRole" | "codeDeployRolePermissionsBoundary", Value::String(_) | Value::Object(_)) => {}
        ("codeDeployRole" | "codeDeployRolePermissionsBoundary", other) => {
            out.push(diagnostic::canary_wrong_type(at, "an ARN or an intrinsic function", other));
        }
        ("stages", Value::Array(stages)) => {
            for (i, stage) in stages.iter().enumerate().filter(|(_, s)| !s.is_string()) {
                out.push(diagnostic::canary_wrong_type(format!("{at}[{i}]"), "a stage name", stage));
            }
        }
        ("stages", Value::String(_)) => out.push(diagnostic::stages_string(at)),
        ("stages", other) => out.push(diagnostic::canary_wrong_type(at, "a list of stages", other)),
        _ => {}
    }
}

/// A Lambda alias name that can also end a logical ID: letters and digits,
/// not only digits, at most 128 characters.
fn valid_alias(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && !name.chars().all(|c| c.is_ascii_digit())
}

fn check_trigger(at: &str, trigger: &Value, out: &mut Vec<Diagnostic>) {
    let Some(trigger) = trigger.as_object() else {
        out.push(diagnostic::invalid_trigger(at.to_owned(), "is not an object"));
        return;
    };
    for required in ["TriggerName", "TriggerTargetArn", "TriggerEvents"] {
        if !trigger.contains_key(required) {
            out.push(diagnostic::invalid_trigger(at.to_owned(), &format!("has no `{required}`")));
        }
    }
    for key in trigger.keys().filter(|k| !["TriggerName", "TriggerTargetArn", "TriggerEvents"].contains(&k.as_str())) {
        out.push(diagnostic::unknown_key(
            "canary",
            format!("{at}.{key}"),
            key,
            &["TriggerName", "TriggerTargetArn", "TriggerEvents"],
        ));
    }
    match trigger.get("TriggerEvents") {
        Some(Value::Array(events)) => {
            for (i, event) in events.iter().enumerate() {
                let path = format!("{at}.TriggerEvents[{i}]");
                match event.as_str() {
                    Some(name) if TRIGGER_EVENTS.contains(&name) => {}
                    Some(name) => out.push(diagnostic::unknown_trigger_event(path, name, &TRIGGER_EVENTS)),
                    None => out.push(diagnostic::canary_wrong_type(path, "a trigger event name", event)),
                }
            }
        }
        Some(other) => out.push(diagnostic::canary_wrong_type(format!("{at}.TriggerEvents"), "a list", other)),
        None => {}
    }
}

/// Merges a function's settings over the global ones and checks what only
/// the merge can tell: that a type and an alias are there, and how many
/// alarms gate the deployment. `None` when there is no usable alias; other
/// errors still let the later checks look at the function.
pub(super) fn merge<'s>(
    key: &'s str,
    global: &Map<String, Value>,
    own: &Value,
    functions: &[&str],
    out: &mut Vec<Diagnostic>,
) -> Option<Canary<'s>> {
    let path = format!("functions.{key}.deploymentSettings");
    let mut settings = global.clone();
    match own {
        Value::Null => {}
        Value::Object(own) => {
            check(&path, own, false, functions, out);
            settings.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        other => {
            out.push(diagnostic::settings_not_object(path, other));
            return None;
        }
    }
    if !settings.get("type").is_some_and(truthy) {
        out.push(diagnostic::deployment_type_missing(format!("{path}.type")));
    }
    let alias = settings.get("alias").filter(|a| truthy(a));
    if alias.is_none() {
        out.push(diagnostic::alias_missing(format!("{path}.alias"), None));
    }
    if let Some(Value::Array(alarms)) = settings.get("alarms")
        && alarms.len() > MAX_ALARMS
    {
        out.push(diagnostic::too_many_alarms(format!("{path}.alarms"), alarms.len()));
    }
    let alias_name = alias.and_then(scalar_to_string)?;
    let logical_id = naming::lambda_logical_id(key);
    Some(Canary { key, alias_logical_id: format!("{logical_id}Alias{alias_name}"), logical_id, settings, alias_name })
}
