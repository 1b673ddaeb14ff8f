//! CloudWatch dashboards (`custom.alerts.dashboards`), widget for widget
//! and byte for byte what serverless-plugin-aws-alerts 1.7.5 writes.

use serde_json::{Value, json};

use crate::diagnostic::{self, Diagnostic};
use crate::js::truthy;
use crate::suggest::did_you_mean;

/// What a widget shows.
#[derive(Clone, Copy)]
enum Metric {
    /// A Lambda metric summed per function (Errors, Invocations, Throttles).
    LambdaSum(&'static str),
    /// A Lambda metric shown as p50/p90 and averaged (Duration, IteratorAge).
    LambdaPercentiles(&'static str),
    /// API Gateway 5XX, 4XX and request counts.
    ApiRequests,
    /// API Gateway integration and total latency.
    ApiLatency,
}

/// How a widget shows it.
#[derive(Clone, Copy, PartialEq)]
enum Display {
    TimeSeries,
    Numbers,
}

/// One widget of a layout: title, what, how, and `x, y, width, height`.
type Slot = (&'static str, Metric, Display, [u32; 4]);

use Display::{Numbers, TimeSeries};
use Metric::{ApiLatency, ApiRequests, LambdaPercentiles, LambdaSum};

const ERRORS: Metric = LambdaSum("Errors");
const INVOCATIONS: Metric = LambdaSum("Invocations");
const THROTTLES: Metric = LambdaSum("Throttles");
const DURATION: Metric = LambdaPercentiles("Duration");
const ITERATOR_AGE: Metric = LambdaPercentiles("IteratorAge");

const DEFAULT: [Slot; 9] = [
    ("Errors", ERRORS, TimeSeries, [0, 0, 8, 6]),
    ("Errors", ERRORS, Numbers, [8, 0, 6, 6]),
    ("Duration", DURATION, TimeSeries, [14, 0, 10, 6]),
    ("Invocations", INVOCATIONS, TimeSeries, [0, 6, 8, 6]),
    ("Invocations", INVOCATIONS, Numbers, [8, 6, 6, 6]),
    ("API Requests", ApiRequests, TimeSeries, [14, 6, 10, 6]),
    ("Throttles", THROTTLES, TimeSeries, [0, 12, 8, 6]),
    ("Throttles", THROTTLES, Numbers, [8, 12, 6, 6]),
    ("API Latency", ApiLatency, TimeSeries, [14, 12, 10, 6]),
];

const VERTICAL: [Slot; 14] = [
    ("Errors", ERRORS, TimeSeries, [0, 0, 10, 6]),
    ("Errors", ERRORS, Numbers, [10, 0, 10, 6]),
    ("Duration", DURATION, TimeSeries, [0, 6, 10, 6]),
    ("Duration Average", DURATION, Numbers, [10, 6, 10, 6]),
    ("Invocations", INVOCATIONS, TimeSeries, [0, 12, 10, 6]),
    ("Invocations", INVOCATIONS, Numbers, [10, 12, 10, 6]),
    ("Iterator Age", ITERATOR_AGE, TimeSeries, [0, 18, 10, 6]),
    ("Iterator Age Average", ITERATOR_AGE, Numbers, [10, 18, 10, 6]),
    ("Throttles", THROTTLES, TimeSeries, [0, 24, 10, 6]),
    ("Throttles", THROTTLES, Numbers, [10, 24, 10, 6]),
    ("API Latency", ApiLatency, TimeSeries, [0, 30, 10, 6]),
    ("API Latency Average", ApiLatency, Numbers, [10, 30, 10, 6]),
    ("API Requests", ApiRequests, TimeSeries, [0, 36, 10, 6]),
    ("API Requests", ApiRequests, Numbers, [10, 36, 10, 6]),
];

/// The layouts `dashboards` can name.
const LAYOUTS: [(&str, &[Slot]); 2] = [("default", &DEFAULT), ("vertical", &VERTICAL)];

/// Where a dashboard's metrics live.
pub(super) struct Scope<'a> {
    pub service: &'a str,
    pub stage: &'a str,
    pub region: &'a str,
    /// Function keys, in service order.
    pub functions: &'a [&'a str],
}

/// The dashboards `config` asks for, as `(logical ID, resource)`.
pub(super) fn compile(config: &Value, scope: &Scope<'_>, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, Value)> {
    let mut names: Vec<Value> = Vec::new();
    for name in templates(config, scope.stage, diagnostics) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let layout = name.as_str().and_then(|n| LAYOUTS.iter().find(|(known, _)| *known == n));
        let Some((name, slots)) = layout else {
            let found = crate::js::to_js_string(Some(&name));
            let suggestion = did_you_mean(&found, LAYOUTS.iter().map(|(n, _)| *n));
            diagnostics.push(diagnostic::unknown_dashboard("custom.alerts.dashboards".into(), &found, suggestion));
            continue;
        };
        let widgets: Vec<Value> = slots.iter().map(|slot| widget(slot, scope)).collect();
        let body = json!({ "widgets": widgets }).to_string();
        let (id, dashboard_name) = match *name {
            "default" => ("AlertsDashboard".to_owned(), format!("{}-{}-{}", scope.service, scope.stage, scope.region)),
            other => (
                format!("AlertsDashboard{other}"),
                format!("{}-{}-{}-{other}", scope.service, scope.stage, scope.region),
            ),
        };
        out.push((
            id,
            json!({"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardName": dashboard_name, "DashboardBody": body}}),
        ));
    }
    out
}

/// `true` → default; a name; a list of names; `{stages, templates}` gated by stage.
fn templates(config: &Value, stage: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Value> {
    match config {
        Value::Bool(_) => vec![json!("default")],
        Value::Object(map) if map.get("stages").is_some_and(truthy) => {
            let listed = match &map["stages"] {
                Value::Array(stages) => stages.iter().any(|s| s.as_str() == Some(stage)),
                Value::String(stages) => stages.contains(stage),
                _ => false,
            };
            if !listed {
                diagnostics.push(diagnostic::dashboards_stage_skipped(stage));
                return Vec::new();
            }
            match map.get("templates").filter(|t| truthy(t)) {
                Some(Value::Array(list)) => list.clone(),
                Some(one) => vec![one.clone()],
                None => vec![json!("default")],
            }
        }
        Value::Array(list) => list.clone(),
        other => vec![other.clone()],
    }
}

fn widget(&(title, metric, display, [x, y, width, height]): &Slot, scope: &Scope<'_>) -> Value {
    let region = scope.region;
    let metrics = metrics(metric, display, scope);
    // Key order as the original widgets write it: title, view, [stacked],
    // metrics, region, [period].
    let mut properties = serde_json::Map::new();
    properties.insert("title".into(), json!(title));
    properties.insert("view".into(), json!(if display == TimeSeries { "timeSeries" } else { "singleValue" }));
    if display == TimeSeries {
        properties.insert("stacked".into(), json!(false));
    }
    properties.insert("metrics".into(), Value::Array(metrics));
    properties.insert("region".into(), json!(region));
    let api_time_series = matches!(metric, ApiRequests | ApiLatency) && display == TimeSeries;
    if !api_time_series {
        properties.insert("period".into(), json!(300));
    }
    json!({"type": "metric", "x": x, "y": y, "width": width, "height": height, "properties": properties})
}

/// Seconds in the 30-day window of a numbers widget.
const MONTH: u32 = 2_592_000;

fn metrics(metric: Metric, display: Display, scope: &Scope<'_>) -> Vec<Value> {
    let region = scope.region;
    let function_name = |key: &str| format!("{}-{}-{key}", scope.service, scope.stage);
    let api = format!("{}-{}", scope.stage, scope.service);
    match (metric, display) {
        (LambdaSum(name), TimeSeries) => scope
            .functions
            .iter()
            .map(|f| {
                json!(["AWS/Lambda", name, "FunctionName", function_name(f),
                {"stat": "Sum", "period": 900, "region": region, "label": f}])
            })
            .collect(),
        (LambdaSum(name), Numbers) => scope
            .functions
            .iter()
            .map(|f| {
                json!(["AWS/Lambda", name, "FunctionName", function_name(f),
                {"stat": "Sum", "period": MONTH, "region": region, "label": f}])
            })
            .collect(),
        (LambdaPercentiles(name), TimeSeries) => scope
            .functions
            .iter()
            .flat_map(|f| {
                ["p50", "p90"].map(|p| {
                    json!(["AWS/Lambda", name, "FunctionName", function_name(f),
                    {"stat": p, "period": 900, "region": region, "label": format!("{f} {p}")}])
                })
            })
            .collect(),
        (LambdaPercentiles(name), Numbers) => scope
            .functions
            .iter()
            .map(|f| {
                json!(["AWS/Lambda", name, "FunctionName", function_name(f),
                {"stat": "Average", "period": MONTH, "region": region, "label": f}])
            })
            .collect(),
        (ApiRequests, TimeSeries) => ["5XXError", "4XXError", "Count"]
            .map(|m| json!(["AWS/ApiGateway", m, "ApiName", api, {"stat": "Sum", "period": 900}]))
            .to_vec(),
        (ApiRequests, Numbers) => ["5XXError", "4XXError", "Count"]
            .map(|m| {
                json!(["AWS/ApiGateway", m, "ApiName", api,
                {"stat": "Sum", "period": MONTH, "region": region, "label": m}])
            })
            .to_vec(),
        (ApiLatency, TimeSeries) => {
            [("IntegrationLatency", "p50"), ("Latency", "p50"), ("IntegrationLatency", "p90"), ("Latency", "p90")]
                .map(
                    |(m, p)| json!(["AWS/ApiGateway", m, "ApiName", api, {"stat": p, "period": 900, "region": region}]),
                )
                .to_vec()
        }
        (ApiLatency, Numbers) => ["IntegrationLatency", "Latency"]
            .map(|m| {
                json!(["AWS/ApiGateway", m, "ApiName", api,
                {"stat": "Average", "period": MONTH, "region": region, "label": m}])
            })
            .to_vec(),
    }
}
