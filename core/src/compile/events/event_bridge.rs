//! `eventBridge` events (`compile/events/event-bridge/index.js`), natively
//! compiled: an `AWS::Events::Rule` on the default bus, on a bus the stack
//! creates (`AWS::Events::EventBus`) or on an existing bus (ARN or an
//! intrinsic), and its permission. Rule and target names over 64 characters
//! get the Framework's MD5 suffix ([`naming::hash_name`]).
//!
//! The legacy mode (`provider.eventBridge.useCloudFormation` not `true`)
//! deploys a `Custom::EventBridge` with a handler from the Framework's own
//! code zip; canaria reports those events and leaves them out.

use serde_json::{Map, Value, json};

use super::{Compiler, Function};
use crate::diagnostic;
use crate::js::{stringify, truthy};
use crate::naming;

/// Every function's `eventBridge` events, in order.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    // `options ? options.useCloudFormation : true`: a `provider.eventBridge`
    // without `useCloudFormation: true` selects the custom resource.
    let native = match compiler.provider.get("eventBridge") {
        Some(options) if truthy(options) => options.get("useCloudFormation").is_some_and(truthy),
        _ => true,
    };
    let functions = std::mem::take(&mut compiler.functions);
    'functions: for function in &functions {
        for (index, event) in function.events().iter().enumerate() {
            let Some(setting) = event.get("eventBridge").filter(|s| truthy(s)) else { continue };
            let path = format!("{}.events[{index}].eventBridge", function.path());
            if !native {
                compiler.diagnostics.push(diagnostic::event_bridge_custom_resource(path));
                continue;
            }
            if let Err((key, reason)) = rule(compiler, function, setting, index + 1) {
                let at = if key.is_empty() { path } else { format!("{path}.{key}") };
                compiler.diagnostics.push(diagnostic::event_invalid(at, reason));
                break 'functions;
            }
        }
    }
    compiler.functions = functions;
}

/// `compileWithCloudFormation`: the bus (when the stack creates it), the rule
/// and the permission.
fn rule(
    compiler: &mut Compiler<'_>,
    function: &Function<'_>,
    setting: &Value,
    number: usize,
) -> Result<(), (&'static str, String)> {
    let get = |key: &str| setting.get(key).cloned();
    let rule_name = match get("name").filter(truthy) {
        Some(name) => name,
        None => json!(naming::event_bridge_hashed_rule_name(&function.name, number)),
    };
    let state = if setting.get("enabled") == Some(&Value::Bool(false)) { "DISABLED" } else { "ENABLED" };
    let input = get("input");
    let input_path = get("inputPath");
    let transformer = get("inputTransformer");
    if [&input, &input_path, &transformer].iter().filter(|v| v.as_ref().is_some_and(truthy)).count() > 1 {
        return Err(("", "set only one of `input`, `inputPath` and `inputTransformer`".into()));
    }
    // `_.mapKeys`: each key's first character upper-cased.
    let transformer = transformer.filter(truthy).map(|t| match t {
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (naming::upper_first(&k), v)).collect()),
        other => other,
    });
    let retry = get("retryPolicy").filter(truthy).map(|policy| {
        let mut retry = Map::new();
        for (from, to) in
            [("maximumEventAge", "MaximumEventAgeInSeconds"), ("maximumRetryAttempts", "MaximumRetryAttempts")]
        {
            if let Some(value) = policy.get(from) {
                retry.insert(to.into(), value.clone());
            }
        }
        Value::Object(retry)
    });
    let dead_letter = get("deadLetterQueueArn").filter(truthy).map(|arn| json!({"Arn": arn}));

    let bus = get("eventBus");
    let (bus_name, exists) = match &bus {
        Some(Value::String(text)) if text.starts_with("arn") => {
            (Some(json!(text.split_once('/').map_or(text.as_str(), |(_, name)| name))), true)
        }
        Some(Value::Object(_) | Value::Array(_)) => (bus.clone(), true),
        _ => (bus.clone(), false),
    };
    let is_default = bus_name.as_ref().and_then(Value::as_str) == Some("default");
    let creates = !exists && bus_name.as_ref().is_some_and(truthy) && !is_default;
    let bus_id = match (&bus_name, creates) {
        (Some(name), true) => {
            let id = format!(
                "{}EventBridgeEventBus",
                naming::normalized_resource_name(&crate::js::to_js_string(Some(name)))
            );
            compiler
                .resources
                .insert(id.clone(), json!({"Type": "AWS::Events::EventBus", "Properties": {"Name": name}}));
            Some(id)
        }
        _ => None,
    };

    let target_id = match &rule_name {
        Value::String(name) => json!(naming::event_bridge_target_id(name)),
        other => json!(naming::event_bridge_target_id(&crate::js::to_js_string(Some(other)))),
    };
    let mut target = Map::new();
    target.insert("Arn".into(), function.target());
    target.insert("Id".into(), target_id);
    if let Some(retry) = retry {
        target.insert("RetryPolicy".into(), retry);
    }
    if let Some(dead_letter) = dead_letter {
        target.insert("DeadLetterConfig".into(), dead_letter);
    }
    if let Some(input) = input.filter(truthy) {
        target.insert("Input".into(), json!(stringify(&input)));
    } else if let Some(path) = input_path.filter(truthy) {
        target.insert("InputPath".into(), path);
    } else if let Some(transformer) = transformer {
        target.insert("InputTransformer".into(), transformer);
    }

    let mut properties = Map::new();
    let optional = |properties: &mut Map<String, Value>, key: &str, value: Option<Value>| {
        if let Some(value) = value {
            properties.insert(key.into(), value);
        }
    };
    optional(&mut properties, "Description", get("description"));
    optional(&mut properties, "EventBusName", bus_name.clone().filter(|_| !is_default));
    optional(&mut properties, "EventPattern", get("pattern"));
    properties.insert("Name".into(), rule_name.clone());
    optional(&mut properties, "ScheduleExpression", get("schedule"));
    properties.insert("State".into(), json!(state));
    properties.insert("Targets".into(), json!([target]));
    let alias = function.target_alias().map(|(_, id)| id);
    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Events::Rule"));
    if let Some(depends) = bus_id.or_else(|| alias.clone()) {
        resource.insert("DependsOn".into(), json!(depends));
    }
    resource.insert("Properties".into(), Value::Object(properties));
    let stub = naming::event_bridge_rule_name(&function.name, number);
    compiler.resources.insert(format!("{}EventBridgeRule", naming::alphanumeric_only(&stub)), Value::Object(resource));

    let mut rule_path = vec![json!("rule")];
    if let Some(name) = bus_name.filter(truthy) {
        rule_path.push(name);
    }
    rule_path.push(rule_name);
    let mut permission = Map::new();
    permission.insert("Type".into(), json!("AWS::Lambda::Permission"));
    if let Some(alias) = alias {
        permission.insert("DependsOn".into(), json!(alias));
    }
    permission.insert(
        "Properties".into(),
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": function.target(),
            "Principal": "events.amazonaws.com",
            "SourceArn": {"Fn::Join": [":", [
                "arn", {"Ref": "AWS::Partition"}, "events", {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"},
                {"Fn::Join": ["/", rule_path]}
            ]]}
        }),
    );
    compiler
        .resources
        .insert(format!("{}EventBridgeLambdaPermission{number}", function.normalized), Value::Object(permission));
    Ok(())
}
