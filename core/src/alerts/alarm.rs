//! Alarm definitions, how an alarm entry resolves against them, and the
//! CloudFormation each resolved alarm compiles to for one function.

use serde_json::{Map, Value, json};

use super::topics::{STATES, Topics};
use crate::diagnostic::{self, Diagnostic};
use crate::js::{self, to_js_string, truthy};
use crate::naming::{normalized_resource_name, upper_first};
use crate::suggest::did_you_mean;

/// The built-in definitions every alarm list can name.
pub(super) fn builtin_definitions() -> Value {
    let definition = |metric: &str, threshold: u32, statistic: &str| {
        json!({
            "namespace": "AWS/Lambda", "enabled": true, "actionsEnabled": true, "type": "static",
            "metric": metric, "threshold": threshold, "statistic": statistic, "period": 60,
            "evaluationPeriods": 1, "datapointsToAlarm": 1, "comparisonOperator": "GreaterThanOrEqualToThreshold"
        })
    };
    json!({
        "functionInvocations": definition("Invocations", 100, "Sum"),
        "functionErrors": definition("Errors", 1, "Sum"),
        "functionDuration": definition("Duration", 500, "Average"),
        "functionThrottles": definition("Throttles", 1, "Sum"),
    })
}

/// The alarm types an alarm's `type` can name.
pub(super) const TYPES: [&str; 3] = ["static", "anomalyDetection", "composite"];
/// Statistics that go to `Statistic`; any other value is an `ExtendedStatistic`.
const STATISTICS: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/// One alarm entry resolved against the definitions.
#[derive(Clone)]
pub(super) struct Alarm {
    /// Where it was written, for diagnostics.
    pub path: String,
    /// Its name (part of the logical ID).
    pub name: String,
    /// The definition merged with the entry.
    pub def: Map<String, Value>,
    /// Keys the entry itself sets (an inline alarm's).
    own: Vec<String>,
    /// Keys of the user's definition of this name (`custom.alerts.definitions`).
    defined: Vec<String>,
}

impl Alarm {
    /// Where the value of `key` was written: the entry, the user's
    /// definition, or (for a built-in value) the entry that names it.
    pub(super) fn field_path(&self, key: &str) -> String {
        if self.own.iter().any(|k| k == key) {
            format!("{}.{key}", self.path)
        } else if self.defined.iter().any(|k| k == key) {
            format!("custom.alerts.definitions.{}.{key}", self.name)
        } else {
            self.path.clone()
        }
    }
}

/// Resolves alarm list entries: a string names a definition (shallow copy),
/// an object is deep-merged over the definition of its `name`.
pub(super) fn resolve<'a>(
    entries: impl IntoIterator<Item = (String, &'a Value)>,
    definitions: &Map<String, Value>,
    user_definitions: Option<&Map<String, Value>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Alarm> {
    let defined = |name: &str| -> Vec<String> {
        user_definitions
            .and_then(|d| d.get(name))
            .and_then(Value::as_object)
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default()
    };
    let base = || json!({"enabled": true, "type": "static"});
    let mut alarms = Vec::new();
    for (path, entry) in entries {
        match entry {
            Value::String(name) => {
                let Some(Value::Object(definition)) = definitions.get(name).filter(|d| truthy(d)) else {
                    let suggestion = did_you_mean(name, definitions.keys().map(String::as_str));
                    diagnostics.push(diagnostic::unknown_definition(path, name, suggestion));
                    continue;
                };
                let mut def = base();
                if let Value::Object(def) = &mut def {
                    def.extend(definition.iter().map(|(k, v)| (k.clone(), v.clone())));
                    def.insert("name".into(), entry.clone());
                }
                alarms.push(Alarm {
                    path,
                    name: name.clone(),
                    def: into_object(def),
                    own: Vec::new(),
                    defined: defined(name),
                });
            }
            Value::Object(inline) => {
                super::check::unknown_keys(&path, inline, &super::check::ALARM_KEYS, diagnostics);
                let Some(name) = inline.get("name").and_then(Value::as_str).map(str::to_owned) else {
                    diagnostics.push(match inline.get("name") {
                        None | Some(Value::Null) => diagnostic::alarm_without_name(path),
                        Some(other) => diagnostic::alerts_wrong_type(format!("{path}.name"), "a string", other),
                    });
                    continue;
                };
                let mut def = base();
                if let Some(definition) = definitions.get(&name) {
                    js::merge(&mut def, definition);
                }
                js::merge(&mut def, entry);
                let own = inline.keys().cloned().collect();
                alarms.push(Alarm { defined: defined(&name), path, name, def: into_object(def), own });
            }
            other => diagnostics.push(diagnostic::alarm_entry_ignored(path, other)),
        }
    }
    alarms
}

fn into_object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// What an alarm compiles against: the stack, the function, the topics.
pub(super) struct Target<'a> {
    pub stack_name: &'a str,
    pub topics: &'a Topics,
    /// The key under `functions:`.
    pub function_key: &'a str,
    /// `HelloLambdaFunction`.
    pub function_id: &'a str,
    /// The deployed function name (for the log group).
    pub function_name: &'a str,
    /// `custom.alerts` (for the default name templates).
    pub config: &'a Map<String, Value>,
}

/// The logical ID of an alarm: `N(function key) + N(alarm name) + "Alarm"`.
pub(super) fn logical_id(function_key: &str, alarm_name: &str) -> String {
    format!("{}{}Alarm", normalized_resource_name(function_key), normalized_resource_name(alarm_name))
}

/// The `AWS::CloudWatch::Alarm`, and its two log metric filters when the
/// alarm has a `pattern`. `None` (with diagnostics) when the alarm is unusable.
pub(super) fn compile(
    alarm: &Alarm,
    target: &Target<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<(String, Value)>> {
    let def = &alarm.def;
    let errors = diagnostics.len();
    let pattern = def.get("pattern").filter(|p| truthy(p));
    let metric = def.get("metric");
    let metric_id = match pattern {
        Some(_) => Some(Value::String(pattern_metric_name(metric, target.function_id))),
        None => metric.cloned(),
    };
    let namespace = match pattern {
        Some(_) => Some(Value::String(target.stack_name.to_owned())),
        None => def.get("namespace").cloned(),
    };
    let dimensions = match pattern {
        Some(_) => Value::Array(Vec::new()),
        None => dimensions(alarm, target.function_id, diagnostics),
    };
    let treat_missing_data = def.get("treatMissingData").filter(|t| truthy(t)).cloned().unwrap_or(json!("missing"));
    let [ok, on_alarm, insufficient] = actions(alarm, target.topics, diagnostics);
    let kind = def.get("type").and_then(Value::as_str).unwrap_or_default();

    let mut props = Map::new();
    let put = |props: &mut Map<String, Value>, key: &str, value: Option<&Value>| {
        if let Some(value) = value {
            props.insert(key.into(), value.clone());
        }
    };
    let metrics = def.get("metrics").filter(|m| truthy(m));
    match kind {
        "static" if metrics.is_some() => {
            // Metric math (alerts #98): the queries replace the single metric.
            put(&mut props, "ActionsEnabled", def.get("actionsEnabled"));
            put(&mut props, "AlarmDescription", def.get("description"));
            put(&mut props, "Threshold", def.get("threshold"));
            put(&mut props, "EvaluationPeriods", def.get("evaluationPeriods"));
            put(&mut props, "DatapointsToAlarm", def.get("datapointsToAlarm"));
            put(&mut props, "ComparisonOperator", def.get("comparisonOperator"));
            props.insert("OKActions".into(), Value::Array(ok));
            props.insert("AlarmActions".into(), Value::Array(on_alarm));
            props.insert("InsufficientDataActions".into(), Value::Array(insufficient));
            props.insert("TreatMissingData".into(), treat_missing_data);
            props.insert("Metrics".into(), metric_queries(def, metrics, &dimensions));
        }
        "composite" => {
            // Composite alarms (alerts #116) over this function's alarms.
            put(&mut props, "ActionsEnabled", def.get("actionsEnabled"));
            put(&mut props, "AlarmDescription", def.get("description"));
            props.insert("AlarmRule".into(), alarm_rule(alarm, target.function_key));
            props.insert("OKActions".into(), Value::Array(ok));
            props.insert("AlarmActions".into(), Value::Array(on_alarm));
            props.insert("InsufficientDataActions".into(), Value::Array(insufficient));
        }
        "static" => {
            put(&mut props, "ActionsEnabled", def.get("actionsEnabled"));
            put(&mut props, "Namespace", namespace.as_ref());
            put(&mut props, "MetricName", metric_id.as_ref());
            put(&mut props, "AlarmDescription", def.get("description"));
            put(&mut props, "Threshold", def.get("threshold"));
            put(&mut props, "Period", def.get("period"));
            put(&mut props, "EvaluationPeriods", def.get("evaluationPeriods"));
            put(&mut props, "DatapointsToAlarm", def.get("datapointsToAlarm"));
            put(&mut props, "ComparisonOperator", def.get("comparisonOperator"));
            props.insert("OKActions".into(), Value::Array(ok));
            props.insert("AlarmActions".into(), Value::Array(on_alarm));
            props.insert("InsufficientDataActions".into(), Value::Array(insufficient));
            props.insert("Dimensions".into(), dimensions);
            props.insert("TreatMissingData".into(), treat_missing_data);
            let statistic = def.get("statistic");
            if statistic.and_then(Value::as_str).is_some_and(|s| STATISTICS.contains(&s)) {
                put(&mut props, "Statistic", statistic);
            } else {
                put(&mut props, "ExtendedStatistic", statistic);
                put(&mut props, "EvaluateLowSampleCountPercentile", def.get("evaluateLowSampleCountPercentile"));
            }
        }
        "anomalyDetection" => {
            put(&mut props, "ActionsEnabled", def.get("actionsEnabled"));
            put(&mut props, "AlarmDescription", def.get("description"));
            put(&mut props, "EvaluationPeriods", def.get("evaluationPeriods"));
            put(&mut props, "DatapointsToAlarm", def.get("datapointsToAlarm"));
            put(&mut props, "ComparisonOperator", def.get("comparisonOperator"));
            props.insert("TreatMissingData".into(), treat_missing_data);
            props.insert("OKActions".into(), Value::Array(ok));
            props.insert("AlarmActions".into(), Value::Array(on_alarm));
            props.insert("InsufficientDataActions".into(), Value::Array(insufficient));
            let mut metric = Map::new();
            put(&mut metric, "Namespace", namespace.as_ref());
            put(&mut metric, "MetricName", metric_id.as_ref());
            metric.insert("Dimensions".into(), dimensions);
            let mut stat = Map::new();
            stat.insert("Metric".into(), Value::Object(metric));
            put(&mut stat, "Period", def.get("period"));
            put(&mut stat, "Stat", def.get("statistic"));
            props.insert(
                "Metrics".into(),
                json!([
                    {"Id": "m1", "ReturnData": true, "MetricStat": stat},
                    {"Id": "ad1",
                     "Expression": format!("ANOMALY_DETECTION_BAND(m1, {})", to_js_string(def.get("threshold"))),
                     "Label": format!("{} (expected)", to_js_string(metric_id.as_ref())),
                     "ReturnData": true}
                ]),
            );
            props.insert("ThresholdMetricId".into(), json!("ad1"));
        }
        // Reported once per alarm by `check::alarm`, not once per function.
        _ => return None,
    }
    let metric_id = if kind == "composite" { Some(Value::String(alarm.name.clone())) } else { metric_id };
    if let Some(name) = alarm_name(alarm, target, metric_id.as_ref(), diagnostics) {
        props.insert("AlarmName".into(), Value::String(name));
    }
    if let Some(tags) = def.get("tags").and_then(Value::as_object) {
        // Alarm tags (alerts #120), only when given: `{Key, Value}` pairs.
        let tags: Vec<Value> = tags.iter().map(|(k, v)| json!({"Key": k, "Value": tag_value(v)})).collect();
        props.insert("Tags".into(), Value::Array(tags));
    }
    if diagnostics.len() > errors {
        return None;
    }

    let resource_type = if kind == "composite" { "AWS::CloudWatch::CompositeAlarm" } else { "AWS::CloudWatch::Alarm" };
    let mut resources =
        vec![(logical_id(target.function_key, &alarm.name), crate::plan::resource(resource_type, props))];
    if let Some(pattern) = pattern {
        let base = format!("{}{}LogMetricFilter", target.function_id, normalized_resource_name(&alarm.name));
        let metric_name = pattern_metric_name(metric, target.function_id);
        let filter = |filter_pattern: &Value, value: u8| {
            json!({
                "Type": "AWS::Logs::MetricFilter",
                "DependsOn": format!("{}LogGroup", normalized_resource_name(target.function_key)),
                "Properties": {
                    "FilterPattern": filter_pattern,
                    "LogGroupName": format!("/aws/lambda/{}", target.function_name),
                    "MetricTransformations": [{
                        "MetricValue": value, "MetricNamespace": target.stack_name, "MetricName": metric_name
                    }]
                }
            })
        };
        resources.push((format!("{base}ALERT"), filter(pattern, 1)));
        resources.push((format!("{base}OK"), filter(&json!(""), 0)));
    }
    Some(resources)
}

/// A tag value as CloudWatch stores it: a string.
fn tag_value(value: &Value) -> Value {
    match value {
        Value::String(_) | Value::Object(_) => value.clone(),
        other => Value::String(to_js_string(Some(other))),
    }
}

/// `Metrics` of a metric-math alarm: each `metrics` entry as a
/// `MetricDataQuery`. A metric entry takes the alarm's namespace, period,
/// statistic and dimensions unless it sets its own; the last entry returns
/// the data unless an entry says which one does.
fn metric_queries(def: &Map<String, Value>, metrics: Option<&Value>, dimensions: &Value) -> Value {
    let Some(Value::Array(entries)) = metrics else { return json!([]) };
    let chosen = entries.iter().any(|e| e.get("returnData").is_some());
    let queries = entries.iter().enumerate().map(|(i, entry)| {
        let own = |key: &str| entry.get(key).or_else(|| def.get(key)).cloned();
        let mut query = Map::new();
        query.insert("Id".into(), entry.get("id").cloned().unwrap_or(Value::Null));
        if let Some(expression) = entry.get("expression") {
            query.insert("Expression".into(), expression.clone());
        } else {
            let mut metric = Map::new();
            metric.insert("Namespace".into(), own("namespace").unwrap_or(Value::Null));
            metric.insert("MetricName".into(), entry.get("metric").cloned().unwrap_or(Value::Null));
            metric.insert("Dimensions".into(), entry.get("dimensions").cloned().unwrap_or_else(|| dimensions.clone()));
            query.insert(
                "MetricStat".into(),
                json!({"Metric": metric, "Period": own("period"), "Stat": own("statistic")}),
            );
        }
        if let Some(label) = entry.get("label") {
            query.insert("Label".into(), label.clone());
        }
        let returns = if chosen { entry.get("returnData").is_some_and(truthy) } else { i + 1 == entries.len() };
        query.insert("ReturnData".into(), Value::Bool(returns));
        Value::Object(query)
    });
    Value::Array(queries.collect())
}

/// `AlarmRule` of a composite alarm: `ALARM("<arn>")` of each named alarm of
/// the same function, joined by `operator` (`OR` unless `AND`).
fn alarm_rule(alarm: &Alarm, function_key: &str) -> Value {
    let operator = match alarm.def.get("operator").and_then(Value::as_str) {
        Some("AND") => " AND ",
        _ => " OR ",
    };
    let names = alarm.def.get("alarms").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    let terms: Vec<String> =
        names.map(|name| format!("ALARM(\"${{{}.Arn}}\")", logical_id(function_key, name))).collect();
    json!({"Fn::Sub": terms.join(operator)})
}

/// The logical IDs a composite alarm of `function_key` refers to.
pub(super) fn composite_members(alarm: &Alarm, function_key: &str) -> Vec<(String, String)> {
    let names = alarm.def.get("alarms").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    names.map(|name| (name.to_owned(), logical_id(function_key, name))).collect()
}

/// The metric a `pattern` filter publishes: `upperFirst(metric) + function ID`.
fn pattern_metric_name(metric: Option<&Value>, function_id: &str) -> String {
    let metric = match metric {
        None | Some(Value::Null) => String::new(),
        Some(value) => to_js_string(Some(value)),
    };
    format!("{}{function_id}", upper_first(&metric))
}

/// `dimensions`, without any `FunctionName` entry, plus the function's own
/// `FunctionName`; or `dimensions` alone with `omitDefaultDimension`.
fn dimensions(alarm: &Alarm, function_id: &str, diagnostics: &mut Vec<Diagnostic>) -> Value {
    let given = alarm.def.get("dimensions").filter(|d| truthy(d));
    if alarm.def.get("omitDefaultDimension").is_some_and(truthy) {
        return given.cloned().unwrap_or_else(|| json!([]));
    }
    let mut list = match given {
        None => Vec::new(),
        Some(Value::Array(list)) => {
            if let Some(i) = list.iter().position(|d| !d.is_object()) {
                let path = format!("{}[{i}]", alarm.field_path("dimensions"));
                diagnostics.push(diagnostic::alerts_wrong_type(path, "a dimension `{Name, Value}`", &list[i]));
            }
            list.iter().filter(|d| d.get("Name").and_then(Value::as_str) != Some("FunctionName")).cloned().collect()
        }
        Some(other) => {
            diagnostics.push(diagnostic::alerts_wrong_type(alarm.field_path("dimensions"), "a list", other));
            Vec::new()
        }
    };
    list.push(json!({"Name": "FunctionName", "Value": {"Ref": function_id}}));
    Value::Array(list)
}

/// OK, alarm and insufficient-data actions: the global topic of each state,
/// then the topic of each group the alarm lists for that state.
fn actions(alarm: &Alarm, topics: &Topics, diagnostics: &mut Vec<Diagnostic>) -> [Vec<Value>; 3] {
    let lists = ["okActions", "alarmActions", "insufficientDataActions"];
    let mut out: [Vec<Value>; 3] = Default::default();
    for ((state, list_key), actions) in STATES.iter().zip(lists).zip(out.iter_mut()) {
        if let Some(global) = topics.global.get(*state).filter(|t| truthy(t)) {
            actions.push(global.clone());
        }
        let Some(groups) = alarm.def.get(list_key).filter(|l| truthy(l)) else { continue };
        let path = alarm.field_path(list_key);
        let Some(groups) = groups.as_array() else {
            diagnostics.push(diagnostic::alerts_wrong_type(path, "a list of topic groups", groups));
            continue;
        };
        for (i, group) in groups.iter().enumerate() {
            let group = to_js_string(Some(group));
            let path = format!("{path}[{i}]");
            match topics.groups.get(&group) {
                None => {
                    let suggestion = did_you_mean(&group, topics.groups.keys().map(String::as_str));
                    diagnostics.push(diagnostic::unknown_topic_group(path, &group, suggestion));
                }
                Some(states) => match states.get(*state) {
                    Some(action) => actions.push(action.clone()),
                    None => diagnostics.push(diagnostic::topic_state_missing(path, &group, state)),
                },
            }
        }
    }
    out
}

/// `AlarmName`, only when a `nameTemplate` or `prefixTemplate` applies
/// (the alarm's own, else `custom.alerts`'s).
fn alarm_name(
    alarm: &Alarm,
    target: &Target<'_>,
    metric_id: Option<&Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let setting = |key: &str| alarm.def.get(key).or_else(|| target.config.get(key));
    let name_template = setting("nameTemplate").filter(|t| truthy(t));
    let prefix_template = setting("prefixTemplate");
    let (template, metric_name) = match (name_template, prefix_template.filter(|p| truthy(p))) {
        (Some(template), _) => (template, alarm.def.get("metric")),
        (None, Some(_)) => (
            &Value::String("$[functionName]-$[metricName]".into()),
            alarm.def.get("name").filter(|n| truthy(n)).or(alarm.def.get("metric")),
        ),
        (None, None) => return None,
    };
    let Some(template) = template.as_str() else {
        diagnostics.push(diagnostic::alerts_wrong_type(alarm.field_path("nameTemplate"), "a string", template));
        return None;
    };
    let name = [
        ("$[functionName]", target.function_key.to_owned()),
        ("$[functionId]", target.function_id.to_owned()),
        ("$[metricName]", to_js_string(metric_name)),
        ("$[metricId]", to_js_string(metric_id)),
    ]
    .iter()
    .fold(template.to_owned(), |name, (token, value)| js::replace_first(&name, token, value));
    let prefix = match prefix_template {
        None => js::replace_first("$[stackName]", "$[stackName]", target.stack_name),
        Some(Value::String(prefix)) => js::replace_first(prefix, "$[stackName]", target.stack_name),
        Some(other) => {
            diagnostics.push(diagnostic::alerts_wrong_type(alarm.field_path("prefixTemplate"), "a string", other));
            return None;
        }
    };
    Some(if prefix.is_empty() { name } else { format!("{prefix}-{name}") })
}
