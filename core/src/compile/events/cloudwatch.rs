//! `cloudwatchEvent` events (`compile/events/cloud-watch-event.js`): an
//! `AWS::Events::Rule` on the default bus and its permission; and
//! `cloudwatchLog` events (`compile/events/cloud-watch-log.js`): an
//! `AWS::Logs::SubscriptionFilter` per event and one permission per
//! function, for the log groups' common prefix.
//!
//! Both compilers write JSON text templates and parse them, like the
//! schedule compiler; see [`super::schedule::quoted`].

use serde_json::{Value, json};

use super::schedule::{format_input_transformer, quoted};
use super::{Compiler, Function};
use crate::diagnostic;
use crate::js::{stringify, truthy};

/// Every function's `cloudwatchEvent` events, in order.
pub(super) fn compile_events(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    'functions: for function in &functions {
        let mut number = 0;
        for (index, event) in function.events().iter().enumerate() {
            let Some(setting) = event.get("cloudwatchEvent").filter(|s| truthy(s)) else { continue };
            number += 1;
            if let Err((key, reason)) = event_rule(compiler, function, setting, number) {
                let path = format!("{}.events[{index}].cloudwatchEvent", function.path());
                let at = if key.is_empty() { path } else { format!("{path}.{key}") };
                compiler.diagnostics.push(diagnostic::event_invalid(at, reason));
                break 'functions;
            }
        }
    }
    compiler.functions = functions;
}

/// `.replace(/\\n|\\r/g, '')`: drops each backslash followed by `n` or `r`.
fn drop_escaped_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('n' | 'r')) {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// `.replace(/\r?\n/g, '')`: drops line breaks.
fn drop_breaks(text: &str) -> String {
    text.replace("\r\n", "").replace('\n', "")
}

fn event_rule(
    compiler: &mut Compiler<'_>,
    function: &Function<'_>,
    setting: &Value,
    number: usize,
) -> Result<(), (&'static str, String)> {
    let get = |key: &str| setting.get(key).cloned();
    let Some(pattern) = setting.get("event") else {
        return Err(("", "this cloudwatchEvent has no `event` pattern".into()));
    };
    let state = if setting.get("enabled") == Some(&Value::Bool(false)) { "DISABLED" } else { "ENABLED" };
    let (input, input_path, transformer) = (get("input"), get("inputPath"), get("inputTransformer"));
    if [&input, &input_path, &transformer].iter().filter(|v| v.as_ref().is_some_and(truthy)).count() > 1 {
        return Err(("", "set only one of `input`, `inputPath` and `inputTransformer`".into()));
    }
    let input = input.filter(truthy).map(|input| {
        let text = match &input {
            Value::Object(_) | Value::Array(_) => stringify(&input),
            other => crate::js::to_js_string(Some(other)),
        };
        let escaped =
            if input.is_object() || input.is_array() || input.is_string() { text.replace('"', "\\\"") } else { text };
        drop_escaped_breaks(&escaped)
    });
    let pattern: Value = serde_json::from_str(&drop_escaped_breaks(&stringify(pattern)))
        .map_err(|_| ("event", "this event pattern does not survive the Framework's JSON template".to_owned()))?;

    let mut properties = serde_json::Map::new();
    properties.insert("EventPattern".into(), pattern);
    properties.insert("State".into(), json!(state));
    if let Some(description) = get("description").filter(truthy) {
        properties.insert("Description".into(), quoted("description", &description).map_err(|e| ("description", e))?);
    }
    if let Some(name) = get("name").filter(truthy) {
        properties.insert("Name".into(), quoted("name", &name).map_err(|e| ("name", e))?);
    }
    let mut target = serde_json::Map::new();
    if let Some(input) = input {
        target.insert("Input".into(), quoted("input", &json!(input)).map_err(|e| ("input", e))?);
    }
    if let Some(path) = input_path.filter(truthy) {
        let path = drop_breaks(&crate::js::to_js_string(Some(&path)));
        target.insert("InputPath".into(), quoted("inputPath", &json!(path)).map_err(|e| ("inputPath", e))?);
    }
    if let Some(transformer) = transformer.filter(truthy) {
        target.insert("InputTransformer".into(), format_input_transformer(&transformer));
    }
    target.insert("Arn".into(), function.target());
    target.insert("Id".into(), json!(format!("{}CloudWatchEvent", function.key)));
    properties.insert("Targets".into(), json!([target]));

    let id = format!("{}EventsRuleCloudWatchEvent{number}", function.normalized);
    let alias = function.target_alias().map(|(_, id)| id);
    let mut rule = serde_json::Map::new();
    rule.insert("Type".into(), json!("AWS::Events::Rule"));
    if let Some(alias) = &alias {
        rule.insert("DependsOn".into(), json!(alias));
    }
    rule.insert("Properties".into(), Value::Object(properties));
    let permission = function.permission(
        "events.amazonaws.com",
        json!({"SourceArn": {"Fn::GetAtt": [id, "Arn"]}}).as_object().cloned().unwrap_or_default(),
    );
    merge_resource(compiler, id, Value::Object(rule));
    merge_resource(
        compiler,
        format!("{}LambdaPermissionEventsRuleCloudWatchEvent{number}", function.normalized),
        permission,
    );
    Ok(())
}

/// `_.merge(Resources, { [id]: resource })`.
fn merge_resource(compiler: &mut Compiler<'_>, id: String, resource: Value) {
    match compiler.resources.get_mut(&id) {
        Some(existing) => crate::js::merge(existing, &resource),
        None => {
            compiler.resources.insert(id, resource);
        }
    }
}

/// The Framework allows two subscription filters per log group.
const FILTERS_PER_LOG_GROUP: usize = 2;

/// Every function's `cloudwatchLog` events, in order.
pub(super) fn compile_logs(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    // Counted across the service, as the Framework counts.
    let mut per_group: Vec<(String, usize)> = Vec::new();
    'functions: for function in &functions {
        let mut number = 0;
        let mut groups: Vec<String> = Vec::new();
        for (index, event) in function.events().iter().enumerate() {
            let Some(setting) = event.get("cloudwatchLog").filter(|s| truthy(s)) else { continue };
            number += 1;
            let path = format!("{}.events[{index}].cloudwatchLog", function.path());
            let (group, filter) = match setting {
                Value::Object(map) => match map.get("logGroup").and_then(Value::as_str) {
                    Some(group) => {
                        let filter =
                            map.get("filter").filter(|f| truthy(f)).and_then(Value::as_str).unwrap_or_default();
                        (drop_breaks(group), drop_breaks(filter))
                    }
                    None => {
                        compiler
                            .diagnostics
                            .push(diagnostic::event_invalid(path, "this cloudwatchLog has no `logGroup`"));
                        break 'functions;
                    }
                },
                Value::String(group) => (drop_breaks(group), String::new()),
                _ => continue,
            };
            let count = match per_group.iter_mut().find(|(name, _)| *name == group) {
                Some((_, count)) => {
                    *count += 1;
                    *count
                }
                None => {
                    per_group.push((group.clone(), 1));
                    1
                }
            };
            if count > FILTERS_PER_LOG_GROUP {
                compiler.diagnostics.push(diagnostic::event_invalid(
                    path,
                    format!("only {FILTERS_PER_LOG_GROUP} subscription filters can be configured per log group, and `{group}` has more"),
                ));
                break 'functions;
            }
            groups.push(group.clone());
            if let Err((key, reason)) = subscription(compiler, function, &group, &filter, &groups, number) {
                let at = if key.is_empty() { path } else { format!("{path}.{key}") };
                compiler.diagnostics.push(diagnostic::event_invalid(at, reason));
                break 'functions;
            }
        }
    }
    compiler.functions = functions;
}

/// Unescapes `\"`, `\\` and `\'` once, when a backslash comes before the
/// first double quote (the Framework's heuristic for YAML-escaped filters).
fn unescape_filter(filter: &str) -> String {
    match (filter.find('\\'), filter.find('"')) {
        (Some(slash), Some(quote)) if quote > slash => {
            let mut out = String::with_capacity(filter.len());
            let mut chars = filter.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\\'
                    && let Some(next @ ('"' | '\\' | '\'')) = chars.peek().copied()
                {
                    out.push(next);
                    chars.next();
                    continue;
                }
                out.push(c);
            }
            out
        }
        _ => filter.to_owned(),
    }
}

/// `longestCommonSuffix` (a common prefix, in fact), with `*` appended when
/// more than one group shares it.
fn common_prefix(groups: &[String]) -> String {
    let Some(first) = groups.first() else { return String::new() };
    let mut common: Vec<u16> = first.encode_utf16().collect();
    for group in groups {
        let other: Vec<u16> = group.encode_utf16().collect();
        if let Some(at) = (0..common.len()).find(|&i| other.get(i) != Some(&common[i])) {
            common.truncate(at);
        }
    }
    let mut common = String::from_utf16_lossy(&common);
    if groups.len() > 1 && !common.ends_with('*') {
        common.push('*');
    }
    common
}

fn subscription(
    compiler: &mut Compiler<'_>,
    function: &Function<'_>,
    group: &str,
    filter: &str,
    groups: &[String],
    number: usize,
) -> Result<(), (&'static str, String)> {
    let permission_id = format!("{}LambdaPermissionLogsSubscriptionFilterCloudWatchLog", function.normalized);
    let alias = function.target_alias().map(|(_, id)| id);
    let mut depends = vec![json!(permission_id)];
    depends.extend(alias.iter().map(|a| json!(a)));
    let filter_resource = json!({
        "Type": "AWS::Logs::SubscriptionFilter",
        "DependsOn": depends,
        "Properties": {
            "LogGroupName": quoted("logGroup", &json!(group)).map_err(|e| ("logGroup", e))?,
            "FilterPattern": unescape_filter(filter),
            "DestinationArn": function.target()
        }
    });
    let prefix = quoted("logGroup", &json!(common_prefix(groups))).map_err(|e| ("logGroup", e))?;
    let mut permission = serde_json::Map::new();
    permission.insert("Type".into(), json!("AWS::Lambda::Permission"));
    if let Some(alias) = &alias {
        permission.insert("DependsOn".into(), json!([alias]));
    }
    permission.insert(
        "Properties".into(),
        json!({
            "FunctionName": function.target(),
            "Action": "lambda:InvokeFunction",
            "Principal": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]},
            "SourceArn": {"Fn::Join": ["", [
                "arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":",
                {"Ref": "AWS::AccountId"}, ":log-group:", prefix, ":*"
            ]]}
        }),
    );
    merge_resource(
        compiler,
        format!("{}LogsSubscriptionFilterCloudWatchLog{number}", function.normalized),
        filter_resource,
    );
    merge_resource(compiler, permission_id, Value::Object(permission));
    Ok(())
}
