//! `iot` events (`compile/events/iot.js`): an `AWS::IoT::TopicRule` whose
//! one action invokes the function, and the permission for IoT to do so.

use serde_json::{Map, Value, json};

use super::super::Compiler;
use super::sources::{alias_id, event_path, events_of, strip_newlines};
use crate::diagnostic;
use crate::js::truthy;

/// Every function's `iot` events; the index in the logical IDs counts the
/// function's `iot` events from 1.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    for function in &functions {
        for (number, (index, event)) in events_of(function, "iot").into_iter().enumerate() {
            let number = number + 1;
            let path = event_path(function, index, "iot");
            // `event.iot.<key>.replace(…)`: a value that is set must be a string.
            let text = |key: &str| -> Result<Option<String>, ()> {
                match event.get(key).filter(|v| truthy(v)) {
                    None => Ok(None),
                    Some(Value::String(text)) => Ok(Some(strip_newlines(text))),
                    Some(_) => Err(()),
                }
            };
            let (Ok(name), Ok(version), Ok(description), Ok(Some(sql))) = (
                text("name"),
                text("sqlVersion"),
                text("description"),
                text("sql").map(|sql| sql.or_else(|| empty_sql(event))),
            ) else {
                let what = "`sql` must be a string, and so must `name`, `sqlVersion` and `description` where set";
                compiler.diagnostics.push(diagnostic::event_value_unusable(path, what));
                continue;
            };
            let rule_id = format!("{}IotTopicRule{number}", function.normalized);
            let permission_id = format!("{}LambdaPermissionIotTopicRule{number}", function.normalized);
            let disabled = event.get("enabled") == Some(&Value::Bool(false));
            let mut payload = Map::new();
            payload.insert("RuleDisabled".into(), json!(disabled));
            payload.insert("Sql".into(), json!(sql));
            payload.insert("Actions".into(), json!([{"Lambda": {"FunctionArn": function.target()}}]));
            if let Some(description) = description.filter(|d| !d.is_empty()) {
                payload.insert("Description".into(), json!(description));
            }
            if let Some(version) = version.filter(|v| !v.is_empty()) {
                payload.insert("AwsIotSqlVersion".into(), json!(version));
            }
            let mut properties = Map::new();
            properties.insert("TopicRulePayload".into(), Value::Object(payload));
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                properties.insert("RuleName".into(), json!(name));
            }
            let alias = alias_id(function);
            let mut rule = Map::new();
            rule.insert("Type".into(), json!("AWS::IoT::TopicRule"));
            if let Some(alias) = &alias {
                rule.insert("DependsOn".into(), json!(alias));
            }
            rule.insert("Properties".into(), Value::Object(properties));
            let permission = function.permission(
                "iot.amazonaws.com",
                json!({"SourceArn": {"Fn::Join": ["", [
                    "arn:", {"Ref": "AWS::Partition"}, ":iot:", {"Ref": "AWS::Region"}, ":",
                    {"Ref": "AWS::AccountId"}, ":rule/", {"Ref": rule_id}
                ]]}})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            );
            compiler.merge_resource(&rule_id, Value::Object(rule));
            compiler.merge_resource(&permission_id, permission);
        }
    }
    compiler.functions = functions;
}

/// `sql: ''` is a string the Framework accepts (`''.replace(…)`).
fn empty_sql(event: &Value) -> Option<String> {
    (event.get("sql") == Some(&json!(""))).then(String::new)
}
