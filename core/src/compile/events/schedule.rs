//! `schedule` events (`compile/events/schedule.js`): an `AWS::Events::Rule`
//! and its permission per rate expression, or with `method: scheduler` an
//! `AWS::Scheduler::Schedule` that assumes the execution role.
//!
//! The Framework writes the rule into a JSON text template and parses it, so
//! the strings it places between quotes unescaped (`name`, `description`,
//! `input`, `inputPath`, the expression) are read back as JSON strings: a
//! value that breaks that template is reported where `sls package` fails.

use serde_json::{Map, Value, json};

use super::{Compiler, Function};
use crate::diagnostic;
use crate::js::{parse_quoted, stringify, to_js_string, truthy};
use crate::naming;

const SCHEDULER: &str = "scheduler";

/// One schedule event, as the Framework reads it.
struct Schedule {
    expressions: Vec<Value>,
    state: &'static str,
    input: Option<Value>,
    input_path: Option<Value>,
    input_transformer: Option<Value>,
    name: Option<Value>,
    description: Option<Value>,
    timezone: Option<Value>,
    scheduler: bool,
}

/// Every function's `schedule` events, in order; then the role changes the
/// scheduler needs.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    let mut invoked = Vec::new();
    for function in &functions {
        let mut number = 0;
        let mut uses_scheduler = false;
        for (index, event) in function.events().iter().enumerate() {
            let Some(setting) = event.get("schedule").filter(|s| truthy(s)) else { continue };
            let path = format!("{}.events[{index}].schedule", function.path());
            let Some(schedule) = read(compiler, setting, &path) else { break };
            for expression in &schedule.expressions {
                number += 1;
                if schedule.scheduler {
                    uses_scheduler = true;
                    scheduler_schedule(compiler, function, &schedule, expression, number);
                } else if let Err(reason) = rule(compiler, function, &schedule, expression, number) {
                    compiler.diagnostics.push(diagnostic::event_invalid(path.clone(), reason));
                }
            }
        }
        if uses_scheduler {
            let arn = format!(
                "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{}",
                function.name
            );
            invoked.push(json!({"Fn::Sub": arn}));
            invoked.push(json!({"Fn::Sub": format!("{arn}:*")}));
        }
    }
    compiler.functions = functions;
    if !invoked.is_empty() {
        allow_scheduler(compiler, invoked);
    }
}

/// The event's settings, checked as the Framework checks them; `None` after
/// an error (the Framework stops there).
fn read(compiler: &mut Compiler<'_>, setting: &Value, path: &str) -> Option<Schedule> {
    let Some(object) = setting.as_object() else {
        return Some(Schedule {
            expressions: vec![setting.clone()],
            state: "ENABLED",
            input: None,
            input_path: None,
            input_transformer: None,
            name: None,
            description: None,
            timezone: None,
            scheduler: false,
        });
    };
    let get = |key: &str| object.get(key).cloned();
    let fail = |compiler: &mut Compiler<'_>, key: &str, reason: &str| {
        compiler.diagnostics.push(diagnostic::event_invalid(format!("{path}.{key}"), reason));
        None
    };
    let Some(expressions) = object.get("rate").and_then(Value::as_array).cloned() else {
        return fail(compiler, "rate", "this schedule has no `rate`: give a `rate(…)` or `cron(…)` expression");
    };
    let scheduler = object.get("method").and_then(Value::as_str) == Some(SCHEDULER);
    let name = get("name");
    if expressions.len() > 1 && name.as_ref().is_some_and(truthy) {
        return fail(compiler, "name", "a schedule with more than one rate expression cannot have a `name`");
    }
    let mut input = get("input");
    if let Some(Value::Object(map)) = &mut input
        && let Some(Value::String(body)) = map.get("body")
    {
        match serde_json::from_str::<Value>(body) {
            Ok(parsed) => {
                map.insert("body".into(), parsed);
            }
            Err(_) => return fail(compiler, "input.body", "`input.body` is not valid JSON"),
        }
    }
    if let Some(object @ (Value::Object(_) | Value::Array(_))) = &input {
        input = Some(Value::String(stringify(object)));
    }
    if !scheduler && let Some(Value::String(text)) = &input {
        input = Some(Value::String(text.replace('"', "\\\"")));
    }
    let input_transformer = get("inputTransformer").filter(truthy);
    if scheduler && input_transformer.is_some() {
        return fail(compiler, "inputTransformer", "`inputTransformer` is not supported with `method: scheduler`");
    }
    let input_path = get("inputPath");
    if scheduler && input_path.as_ref().is_some_and(truthy) {
        return fail(compiler, "inputPath", "`inputPath` is not supported with `method: scheduler`");
    }
    let timezone = get("timezone");
    if !scheduler && timezone.as_ref().is_some_and(truthy) {
        return fail(compiler, "timezone", "`timezone` is only supported with `method: scheduler`");
    }
    Some(Schedule {
        expressions,
        state: if object.get("enabled") == Some(&Value::Bool(false)) { "DISABLED" } else { "ENABLED" },
        input,
        input_path,
        input_transformer: input_transformer.map(|t| format_input_transformer(&t)),
        name,
        description: get("description"),
        timezone,
        scheduler,
    })
}

/// `formatInputTransformer`: `InputTemplate`, then `InputPathsMap` if set.
pub(super) fn format_input_transformer(transformer: &Value) -> Value {
    let mut formatted = Map::new();
    if let Some(template) = transformer.get("inputTemplate") {
        formatted.insert("InputTemplate".into(), template.clone());
    }
    if let Some(paths) = transformer.get("inputPathsMap").filter(|p| truthy(p)) {
        formatted.insert("InputPathsMap".into(), paths.clone());
    }
    Value::Object(formatted)
}

/// A value the Framework writes as `"${value}"` into its JSON template.
pub(super) fn quoted(key: &str, value: &Value) -> Result<Value, String> {
    let raw = to_js_string(Some(value));
    parse_quoted(&raw).map(Value::String).ok_or_else(|| {
        format!(
            "the Framework writes `{key}` unescaped into a JSON template, and this value (with a `\"`, a `\\` or a \
             line break) breaks it"
        )
    })
}

/// The `AWS::Events::Rule` and its `AWS::Lambda::Permission`.
fn rule(
    compiler: &mut Compiler<'_>,
    function: &Function<'_>,
    schedule: &Schedule,
    expression: &Value,
    number: usize,
) -> Result<(), String> {
    let id = format!("{}EventsRuleSchedule{number}", function.normalized);
    let permission_id = format!("{}LambdaPermissionEventsRuleSchedule{number}", function.normalized);
    let alias = function.target_alias().map(|(_, id)| id);
    let mut properties = Map::new();
    let expression = match expression {
        Value::String(_) => quoted("rate", expression)?,
        other => other.clone(),
    };
    properties.insert("ScheduleExpression".into(), expression);
    properties.insert("State".into(), json!(schedule.state));
    if let Some(name) = schedule.name.as_ref().filter(|v| truthy(v)) {
        properties.insert("Name".into(), quoted("name", name)?);
    }
    if let Some(description) = schedule.description.as_ref().filter(|v| truthy(v)) {
        properties.insert("Description".into(), quoted("description", description)?);
    }
    let mut target = Map::new();
    if let Some(input) = schedule.input.as_ref().filter(|v| truthy(v)) {
        target.insert("Input".into(), quoted("input", input)?);
    }
    if let Some(path) = schedule.input_path.as_ref().filter(|v| truthy(v)) {
        target.insert("InputPath".into(), quoted("inputPath", path)?);
    }
    if let Some(transformer) = &schedule.input_transformer {
        target.insert("InputTransformer".into(), transformer.clone());
    }
    target.insert("Arn".into(), function.target());
    target.insert("Id".into(), quoted("functions", &json!(format!("{}Schedule", function.key)))?);
    properties.insert("Targets".into(), json!([target]));

    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Events::Rule"));
    if let Some(alias) = &alias {
        resource.insert("DependsOn".into(), json!(alias));
    }
    resource.insert("Properties".into(), Value::Object(properties));
    compiler.resources.insert(id.clone(), Value::Object(resource));

    let permission = function.permission(
        "events.amazonaws.com",
        json!({"SourceArn": {"Fn::GetAtt": [id, "Arn"]}}).as_object().cloned().unwrap_or_default(),
    );
    compiler.resources.insert(permission_id, permission);
    Ok(())
}

/// The `AWS::Scheduler::Schedule`: it invokes the function with the
/// function's own role.
fn scheduler_schedule(
    compiler: &mut Compiler<'_>,
    function: &Function<'_>,
    schedule: &Schedule,
    expression: &Value,
    number: usize,
) {
    let role =
        compiler.resources.get(&function.logical_id).and_then(|resource| resource.pointer("/Properties/Role")).cloned();
    let mut target = Map::new();
    target.insert("Arn".into(), function.target());
    if let Some(role) = role {
        target.insert("RoleArn".into(), role);
    }
    if let Some(input) = &schedule.input {
        target.insert("Input".into(), input.clone());
    }
    let mut properties = Map::new();
    properties.insert("ScheduleExpression".into(), expression.clone());
    properties.insert("State".into(), json!(schedule.state));
    properties.insert("Target".into(), Value::Object(target));
    properties.insert("FlexibleTimeWindow".into(), json!({"Mode": "OFF"}));
    for (key, value) in [
        ("Name", &schedule.name),
        ("Description", &schedule.description),
        ("ScheduleExpressionTimezone", &schedule.timezone),
    ] {
        if let Some(value) = value {
            properties.insert(key.into(), value.clone());
        }
    }
    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Scheduler::Schedule"));
    if let Some((_, alias)) = function.target_alias() {
        resource.insert("DependsOn".into(), json!(alias));
    }
    resource.insert("Properties".into(), Value::Object(properties));
    compiler.resources.insert(format!("{}SchedulerSchedule{number}", function.normalized), Value::Object(resource));
}

/// The execution role (when the Framework creates it) is assumed by the
/// scheduler too, and may invoke the scheduled functions.
fn allow_scheduler(compiler: &mut Compiler<'_>, invoked: Vec<Value>) {
    let Some(role) = compiler.resources.get_mut(naming::EXECUTION_ROLE_LOGICAL_ID) else { return };
    if let Some(statements) =
        role.pointer_mut("/Properties/AssumeRolePolicyDocument/Statement").and_then(Value::as_array_mut)
        && let Some(services) = statements
            .iter_mut()
            .filter_map(|s| s.pointer_mut("/Principal/Service").and_then(Value::as_array_mut))
            .find(|services| services.iter().any(|s| s == "lambda.amazonaws.com"))
    {
        services.push(json!("scheduler.amazonaws.com"));
    }
    if let Some(statements) = compiler.role_statements() {
        statements.push(json!({"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": invoked}));
    }
}
