//! Checks on `custom.alerts` and on alarms: keys, enumerations, numbers and
//! the properties CloudFormation needs. Values given as intrinsic functions
//! or unresolved `${…}` variables are not judged.

use serde_json::{Map, Value};

use super::alarm::Alarm;
use crate::diagnostic::{self, Diagnostic};
use crate::js::truthy;

/// Every key of `custom.alerts`.
const CONFIG_KEYS: [&str; 10] = [
    "stages",
    "topics",
    "definitions",
    "alarms",
    "global",
    "function",
    "nameTemplate",
    "prefixTemplate",
    "dashboards",
    "externalStack",
];

/// Every key an alarm definition or inline alarm has.
pub(super) const ALARM_KEYS: [&str; 27] = [
    "name",
    "enabled",
    "type",
    "namespace",
    "metric",
    "threshold",
    "statistic",
    "evaluateLowSampleCountPercentile",
    "period",
    "evaluationPeriods",
    "datapointsToAlarm",
    "comparisonOperator",
    "treatMissingData",
    "actionsEnabled",
    "description",
    "dimensions",
    "omitDefaultDimension",
    "pattern",
    "okActions",
    "alarmActions",
    "insufficientDataActions",
    "nameTemplate",
    "prefixTemplate",
    "metrics",
    "tags",
    "alarms",
    "operator",
];

/// The keys of a `metrics` entry of a metric-math alarm.
const METRIC_KEYS: [&str; 9] =
    ["id", "expression", "metric", "namespace", "statistic", "period", "dimensions", "label", "returnData"];

const STATISTICS: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const STATIC_OPERATORS: [&str; 4] =
    ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];
const ANOMALY_OPERATORS: [&str; 3] =
    ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];
const TREAT_MISSING_DATA: [&str; 4] = ["breaching", "notBreaching", "ignore", "missing"];

/// Unknown keys of `custom.alerts`, of its topics and dashboards, and of its
/// definitions as written.
pub(super) fn config(config: &Map<String, Value>, out: &mut Vec<Diagnostic>) {
    unknown_keys("custom.alerts", config, &CONFIG_KEYS, out);
    if let Some(Value::Object(definitions)) = config.get("definitions") {
        for (name, definition) in definitions {
            if let Value::Object(definition) = definition {
                unknown_keys(&format!("custom.alerts.definitions.{name}"), definition, &ALARM_KEYS, out);
            }
        }
    }
    if let Some(Value::Object(dashboards)) = config.get("dashboards") {
        unknown_keys("custom.alerts.dashboards", dashboards, &["stages", "templates"], out);
    }
    if let Some(Value::Object(topics)) = config.get("topics") {
        for (key, value) in topics {
            let entries: Vec<(String, &Value)> = match value {
                Value::Object(group) if !super::topics::STATES.contains(&key.as_str()) => {
                    group.iter().map(|(state, v)| (format!("custom.alerts.topics.{key}.{state}"), v)).collect()
                }
                other => vec![(format!("custom.alerts.topics.{key}"), other)],
            };
            for (path, topic) in entries {
                let Value::Object(topic) = topic else { continue };
                // `{topic, notifications}`; an intrinsic function has one `Ref`/`Fn::` key.
                if topic.keys().any(|k| k == "Ref" || k.starts_with("Fn::")) {
                    continue;
                }
                unknown_keys(&path, topic, &["topic", "notifications"], out);
                if let Some(Value::Array(notifications)) = topic.get("notifications") {
                    for (i, notification) in notifications.iter().enumerate() {
                        if let Value::Object(n) = notification {
                            unknown_keys(&format!("{path}.notifications[{i}]"), n, &["protocol", "endpoint"], out);
                        }
                    }
                }
            }
        }
    }
}

/// Keys of `object` outside `known`.
pub(super) fn unknown_keys(path: &str, object: &Map<String, Value>, known: &[&str], out: &mut Vec<Diagnostic>) {
    for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
        out.push(diagnostic::unknown_key("alerts", format!("{path}.{key}"), key, known));
    }
}

/// A value canaria cannot judge before the Framework resolves it.
fn opaque(value: &Value) -> bool {
    match value {
        Value::Object(_) => true,
        Value::String(s) => s.contains("${"),
        _ => false,
    }
}

/// The values of one resolved alarm (its definition merged with the entry).
pub(super) fn alarm(alarm: &Alarm, out: &mut Vec<Diagnostic>) {
    let def = &alarm.def;
    if !def.get("enabled").is_some_and(truthy) {
        return;
    }
    let at = |key: &str| alarm.field_path(key);
    let kind = def.get("type");
    if !kind.and_then(Value::as_str).is_some_and(|k| super::alarm::TYPES.contains(&k)) {
        let found = crate::js::to_js_string(kind);
        let suggestion = crate::suggest::did_you_mean(&found, super::alarm::TYPES);
        out.push(diagnostic::unknown_alarm_type(at("type"), &found, suggestion));
        return;
    }
    let anomaly = kind.and_then(Value::as_str) == Some("anomalyDetection");
    let pattern = def.get("pattern").is_some_and(truthy);
    tags(def.get("tags"), &at("tags"), out);
    if kind.and_then(Value::as_str) == Some("composite") {
        composite(alarm, out);
        return;
    }
    let metrics = def.get("metrics").filter(|m| truthy(m));
    if let Some(metrics) = metrics {
        metric_math(alarm, metrics, anomaly || pattern, out);
    }

    let mut required = vec!["threshold", "evaluationPeriods", "comparisonOperator"];
    if metrics.is_none() {
        required.extend(["metric", "statistic", "period"]);
        if !pattern {
            required.push("namespace");
        }
    }
    for field in required {
        if def.get(field).is_none_or(Value::is_null) {
            out.push(diagnostic::alarm_field_missing(alarm.path.clone(), field));
        }
    }

    if let Some(statistic) = def.get("statistic").filter(|s| !opaque(s) && !s.is_null()) {
        match statistic.as_str() {
            Some(s) if STATISTICS.contains(&s) || extended_statistic(s) => {}
            Some(s) => out.push(diagnostic::unknown_statistic(at("statistic"), s, &STATISTICS)),
            None => out.push(diagnostic::alerts_wrong_type(at("statistic"), "a statistic name", statistic)),
        }
    }
    if let Some(operator) = def.get("comparisonOperator").filter(|s| !opaque(s) && !s.is_null()) {
        let all: Vec<&str> = STATIC_OPERATORS.iter().chain(&ANOMALY_OPERATORS).copied().collect();
        match operator.as_str() {
            Some(op) if !all.contains(&op) => {
                out.push(diagnostic::unknown_comparison_operator(at("comparisonOperator"), op, &all));
            }
            Some(op) if ANOMALY_OPERATORS.contains(&op) != anomaly => {
                out.push(diagnostic::comparison_operator_mismatch(at("comparisonOperator"), op, anomaly));
            }
            Some(_) => {}
            None => out.push(diagnostic::alerts_wrong_type(at("comparisonOperator"), "an operator name", operator)),
        }
    }
    if let Some(treat) = def.get("treatMissingData").filter(|t| truthy(t) && !opaque(t)) {
        match treat.as_str() {
            Some(t) if TREAT_MISSING_DATA.contains(&t) => {}
            Some(t) => out.push(diagnostic::unknown_treat_missing_data(at("treatMissingData"), t, &TREAT_MISSING_DATA)),
            None => out.push(diagnostic::alerts_wrong_type(at("treatMissingData"), "a string", treat)),
        }
    }

    let number = |key: &str, integer: bool, out: &mut Vec<Diagnostic>| -> Option<f64> {
        let value = def.get(key).filter(|v| !v.is_null() && !opaque(v))?;
        let parsed = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if !integer || n.fract() == 0.0 => Some(n),
            _ => {
                let expected = if integer { "a whole number" } else { "a number" };
                out.push(diagnostic::alerts_wrong_type(at(key), expected, value));
                None
            }
        }
    };
    number("threshold", false, out);
    if let Some(period) = number("period", true, out)
        && !(matches!(period as i64, 10 | 20 | 30) || (period >= 60.0 && period % 60.0 == 0.0))
    {
        out.push(diagnostic::invalid_period(at("period"), &crate::js::number_to_string(period)));
    }
    let periods = number("evaluationPeriods", true, out);
    let datapoints = number("datapointsToAlarm", true, out);
    if let (Some(periods), Some(datapoints)) = (periods, datapoints)
        && datapoints > periods
    {
        out.push(diagnostic::datapoints_exceed_periods(at("datapointsToAlarm")));
    }
}

/// `tags`: a mapping of tag keys to values.
fn tags(tags: Option<&Value>, path: &str, out: &mut Vec<Diagnostic>) {
    match tags {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (key, value) in map.iter().filter(|(_, v)| v.is_array() || v.is_null()) {
                out.push(diagnostic::alerts_wrong_type(format!("{path}.{key}"), "a tag value", value));
            }
        }
        Some(other) => out.push(diagnostic::alerts_wrong_type(path.to_owned(), "a mapping of tags", other)),
    }
}

/// A composite alarm: a non-empty list of alarm names, `AND` or `OR`.
fn composite(alarm: &Alarm, out: &mut Vec<Diagnostic>) {
    let at = |key: &str| alarm.field_path(key);
    match alarm.def.get("alarms") {
        Some(Value::Array(names)) if !names.is_empty() => {
            for (i, name) in names.iter().enumerate().filter(|(_, n)| !n.is_string()) {
                out.push(diagnostic::alerts_wrong_type(format!("{}[{i}]", at("alarms")), "an alarm name", name));
            }
        }
        Some(Value::Array(_)) | None | Some(Value::Null) => {
            out.push(diagnostic::alarm_field_missing(alarm.path.clone(), "alarms"));
        }
        Some(other) => out.push(diagnostic::alerts_wrong_type(at("alarms"), "a list of alarm names", other)),
    }
    match alarm.def.get("operator") {
        None | Some(Value::Null) => {}
        Some(Value::String(op)) if op == "AND" || op == "OR" => {}
        Some(other) => out.push(diagnostic::alerts_wrong_type(at("operator"), "`AND` or `OR`", other)),
    }
}

/// A metric-math alarm's `metrics`: each entry a metric or an expression
/// with a unique lower-case id, and exactly one entry returning data.
fn metric_math(alarm: &Alarm, metrics: &Value, excluded: bool, out: &mut Vec<Diagnostic>) {
    let path = alarm.field_path("metrics");
    if excluded {
        out.push(diagnostic::invalid_metric_math(
            path,
            "`metrics` cannot be combined with `pattern` or `type: anomalyDetection`",
        ));
        return;
    }
    let Value::Array(entries) = metrics else {
        out.push(diagnostic::alerts_wrong_type(path, "a list of metrics and expressions", metrics));
        return;
    };
    let mut ids: Vec<&str> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let Value::Object(entry) = entry else {
            out.push(diagnostic::alerts_wrong_type(at, "a metric or an expression", entry));
            continue;
        };
        unknown_keys(&at, entry, &METRIC_KEYS, out);
        match entry.get("id").and_then(Value::as_str) {
            Some(id) if valid_metric_id(id) && !ids.contains(&id) => ids.push(id),
            Some(id) if ids.contains(&id) => {
                out.push(diagnostic::invalid_metric_math(format!("{at}.id"), &format!("the id `{id}` is used twice")));
            }
            Some(id) => out.push(diagnostic::invalid_metric_math(
                format!("{at}.id"),
                &format!("`{id}` is not a valid id: it starts with a lower-case letter, then letters, digits or `_`"),
            )),
            None => out.push(diagnostic::invalid_metric_math(at.clone(), "each entry needs an `id`")),
        }
        match (entry.contains_key("expression"), entry.contains_key("metric")) {
            (true, false) => {}
            (false, true) => {
                for field in ["namespace", "statistic", "period"] {
                    let given = entry.get(field).or_else(|| alarm.def.get(field));
                    if given.is_none_or(Value::is_null) {
                        out.push(diagnostic::alarm_field_missing(at.clone(), field));
                    }
                }
            }
            _ => out.push(diagnostic::invalid_metric_math(at, "give either `metric` or `expression`")),
        }
    }
    let returning = entries.iter().filter(|e| e.get("returnData").is_some_and(truthy)).count();
    let chosen = entries.iter().any(|e| e.get("returnData").is_some());
    if chosen && returning != 1 {
        out.push(diagnostic::invalid_metric_math(
            path,
            &format!("exactly one entry may set `returnData: true`, found {returning}"),
        ));
    }
}

/// A metric-math id: a lower-case letter, then letters, digits and `_`.
fn valid_metric_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Percentile-like statistics: `p99`, `p99.9`, `tm90`, `wm99`, `tc90`,
/// `ts99`, `TM(10%:90%)`, `TM(100:200)`, `IQM`.
fn extended_statistic(text: &str) -> bool {
    if text == "IQM" {
        return true;
    }
    let percentile = |p: &str| p.parse::<f64>().is_ok_and(|v| (0.0..=100.0).contains(&v)) && !p.starts_with(['+', '-']);
    for prefix in ["p", "tm", "wm", "tc", "ts"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return percentile(rest);
        }
    }
    for prefix in ["TM(", "WM(", "TC(", "TS(", "PR("] {
        if let Some(range) = text.strip_prefix(prefix).and_then(|r| r.strip_suffix(')')) {
            let Some((low, high)) = range.split_once(':') else { return false };
            let bound = |b: &str| b.is_empty() || b.trim_end_matches('%').parse::<f64>().is_ok();
            return bound(low) && bound(high);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::extended_statistic;

    #[test]
    fn extended_statistics() {
        for ok in [
            "p99",
            "p99.9",
            "p0",
            "p100",
            "tm90",
            "wm99",
            "tc90",
            "ts99",
            "TM(10%:90%)",
            "TM(:99%)",
            "PR(100:2000)",
            "IQM",
        ] {
            assert!(extended_statistic(ok), "{ok}");
        }
        for bad in ["p101", "sum", "P99", "p", "px", "TM(10%)", "average"] {
            assert!(!extended_statistic(bad), "{bad}");
        }
    }
}
