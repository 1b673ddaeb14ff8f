//! The alerts pass: what `serverless-plugin-aws-alerts` 1.7.5 does at
//! `package:compileEvents`. It turns `custom.alerts` and each function's
//! `alarms` into SNS topics, CloudWatch alarms, log metric filters and
//! dashboards, with the same logical IDs and properties.
//!
//! The canary pass runs later and sees these alarms, so
//! `deploymentSettings.alarms: [HelloFunctionErrorsAlarm]` resolves.

mod alarm;
mod check;
mod dashboard;
mod topics;

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::diagnostic::{self, Diagnostic};
use crate::js::truthy;
use crate::naming;
use crate::plan::Plan;
use crate::service::Service;

/// Whether `custom.alerts.stages` leaves out the stage being packaged, so
/// that no alert alarm exists in this stage.
pub fn skipped_stage(service: &Service) -> bool {
    matches!(config(service), (Some(config), _) if !stage_enabled(&config, &service.stage))
}

/// `custom.alerts`: `Ok(None)` when alerts are switched off (`alerts: false`
/// or empty), an empty block when it is absent altogether.
///
/// Any other value (`alerts: true`, a list) reads as an empty block, as the
/// original reads it, with a warning.
fn config(service: &Service) -> (Option<Map<String, Value>>, Option<Diagnostic>) {
    match service.custom.get("alerts") {
        None => (Some(Map::new()), None),
        Some(Value::Object(config)) => (Some(config.clone()), None),
        Some(off) if !truthy(off) => (None, None),
        Some(other) => (Some(Map::new()), Some(diagnostic::alerts_not_object(other))),
    }
}

/// `stages`: absent means every stage; a list must name the stage (a string
/// is searched as a substring, as `String.prototype.includes` does).
fn stage_enabled(config: &Map<String, Value>, stage: &str) -> bool {
    match config.get("stages") {
        Some(Value::Array(stages)) => stages.iter().any(|s| s.as_str() == Some(stage)),
        Some(Value::String(stages)) => stages.contains(stage),
        _ => true,
    }
}

/// Computes the alerts pass for `template` (read only) and `service`.
pub fn plan(template: &Value, service: &Service) -> Plan {
    let (config, warning) = config(service);
    let Some(config) = config else { return Plan::default() };
    let mut diagnostics: Vec<Diagnostic> = warning.into_iter().collect();
    if !service.custom.contains_key("alerts") {
        // The original plugin crashes without `custom`, and skips function
        // alarms without `custom.alerts`; canaria compiles them (docs/compat.md).
        let first = service.functions.iter().find(|(_, f)| f.get("alarms").is_some_and(truthy));
        let Some((key, _)) = first else { return Plan::default() };
        diagnostics.push(diagnostic::alarms_without_alerts_block(format!("functions.{key}.alarms")));
    }
    if let Some(stages) = config.get("stages").filter(|s| truthy(s) && !s.is_array() && !s.is_string()) {
        return Plan::refused(vec![diagnostic::alerts_wrong_type(
            "custom.alerts.stages".into(),
            "a list of stages",
            stages,
        )]);
    }
    if config.get("externalStack").is_some_and(truthy) {
        return Plan::refused(vec![diagnostic::external_stack_unsupported()]);
    }
    if !stage_enabled(&config, &service.stage) {
        return Plan { diagnostics: vec![diagnostic::alerts_stage_skipped(&service.stage)], ..Plan::default() };
    }

    let mut definitions = alarm::builtin_definitions();
    match config.get("definitions") {
        None | Some(Value::Null) => {}
        Some(given @ Value::Object(_)) => crate::js::merge(&mut definitions, given),
        Some(other) => {
            diagnostics.push(diagnostic::alerts_wrong_type("custom.alerts.definitions".into(), "an object", other))
        }
    }
    let definitions = definitions.as_object().cloned().unwrap_or_default();

    check::config(&config, &mut diagnostics);
    let mut resources = Map::new();
    let topics = topics::compile(config.get("topics"), &mut resources, &mut diagnostics);
    let user_definitions = config.get("definitions").and_then(Value::as_object);
    let global =
        alarm::resolve(global_entries(&config, &mut diagnostics), &definitions, user_definitions, &mut diagnostics);
    global.iter().for_each(|alarm| check::alarm(alarm, &mut diagnostics));

    let stack_name = service.stack_name.as_str();
    let existing = template.get("Resources").and_then(Value::as_object);
    // Which function and alarm produced each logical ID, to refuse collisions.
    let mut owners: HashMap<String, String> = HashMap::new();
    for (key, function) in &service.functions {
        let function_id = naming::lambda_logical_id(key);
        // The Framework's schema (`{type: array}`, with `coerceTypes: 'array'`)
        // turns a lone entry into a list before any plugin reads it.
        let listed = match function.get("alarms") {
            Some(one @ (Value::String(_) | Value::Object(_))) => Some(Value::Array(vec![one.clone()])),
            other => other.cloned(),
        };
        let own = match listed.as_ref().filter(|a| truthy(a)) {
            None => Vec::new(),
            Some(Value::Array(list)) => {
                let entries = list.iter().enumerate().map(|(i, entry)| (format!("functions.{key}.alarms[{i}]"), entry));
                let own = alarm::resolve(entries, &definitions, user_definitions, &mut diagnostics);
                own.iter().for_each(|alarm| check::alarm(alarm, &mut diagnostics));
                own
            }
            Some(other) => {
                diagnostics.push(diagnostic::alerts_wrong_type(format!("functions.{key}.alarms"), "a list", other));
                Vec::new()
            }
        };
        let function_name = function.get("name").and_then(Value::as_str).unwrap_or(key);
        let target = alarm::Target {
            stack_name,
            topics: &topics,
            function_key: key,
            function_id: &function_id,
            function_name,
            config: &config,
        };
        // Later entries for the same alarm replace earlier ones (function
        // alarms override global ones); `enabled: false` removes it.
        let mut statements = Map::new();
        let mut names: HashMap<String, &str> = HashMap::new();
        for alarm in global.iter().chain(&own) {
            let id = alarm::logical_id(key, &alarm.name);
            if let Some(other) = names.get(&id).filter(|other| **other != alarm.name) {
                diagnostics.push(diagnostic::logical_id_collision(
                    alarm.path.clone(),
                    &id,
                    &format!("alarm `{other}`"),
                ));
                continue;
            }
            names.insert(id.clone(), &alarm.name);
            if !alarm.def.get("enabled").is_some_and(truthy) {
                statements.shift_remove(&id);
                continue;
            }
            if let Some(compiled) = alarm::compile(alarm, &target, &mut diagnostics) {
                statements.extend(compiled);
            }
        }
        // A composite alarm combines alarms of the same function.
        for alarm in
            global.iter().chain(&own).filter(|a| a.def.get("type").and_then(Value::as_str) == Some("composite"))
        {
            let id = alarm::logical_id(key, &alarm.name);
            if !statements.contains_key(&id) {
                continue;
            }
            for (i, (name, member)) in alarm::composite_members(alarm, key).into_iter().enumerate() {
                let plain = statements.get(&member).and_then(|r| r.get("Type")).and_then(Value::as_str)
                    == Some("AWS::CloudWatch::Alarm");
                if !plain {
                    let path = format!("{}[{i}]", alarm.field_path("alarms"));
                    diagnostics.push(diagnostic::composite_unknown_alarm(path, &name, key));
                }
            }
        }
        for (id, resource) in statements {
            let taken = owners
                .get(&id)
                .cloned()
                .or_else(|| existing.filter(|r| r.contains_key(&id)).map(|_| "a resource of the template".to_owned()));
            if let Some(other) = taken {
                diagnostics.push(diagnostic::logical_id_collision(format!("functions.{key}.alarms"), &id, &other));
                continue;
            }
            owners.insert(id.clone(), format!("an alarm of function `{key}`"));
            resources.insert(id, resource);
        }
    }

    if let Some(dashboards) = config.get("dashboards").filter(|d| truthy(d)) {
        let functions: Vec<&str> = service.functions.keys().map(String::as_str).collect();
        let scope = dashboard::Scope {
            service: &service.name,
            stage: &service.stage,
            region: &service.region,
            functions: &functions,
        };
        resources.extend(dashboard::compile(dashboards, &scope, &mut diagnostics));
    }

    // A definition shared by several functions is checked once per use; say
    // what is wrong with it once.
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert((d.code, d.path.clone(), d.message.clone())));
    // With errors the plan must not be applied, but its alarms still tell
    // the canary checks which logical IDs the alerts would create.
    Plan { resources, removed: Vec::new(), diagnostics }
}

/// `union(alarms, global, function)`: the lists of `custom.alerts` that apply
/// to every function, with repeated names kept once.
fn global_entries<'c>(config: &'c Map<String, Value>, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, &'c Value)> {
    let mut entries: Vec<(String, &Value)> = Vec::new();
    for key in ["alarms", "global", "function"] {
        match config.get(key) {
            Some(Value::Array(list)) => {
                for (i, entry) in list.iter().enumerate() {
                    let repeated = !entry.is_object() && entries.iter().any(|(_, seen)| *seen == entry);
                    if !repeated {
                        entries.push((format!("custom.alerts.{key}[{i}]"), entry));
                    }
                }
            }
            Some(other) if truthy(other) => {
                diagnostics.push(diagnostic::alarm_entry_ignored(format!("custom.alerts.{key}"), other));
            }
            _ => {}
        }
    }
    entries
}
