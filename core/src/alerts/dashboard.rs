//! CloudWatch dashboards (`custom.alerts.dashboards`), widget for widget
//! and byte for byte what serverless-plugin-aws-alerts 1.7.5 writes.

use std::rc::Rc;

use serde::Serialize;
use serde::ser::{SerializeTuple, Serializer};
use serde_json::{Value, json};

use crate::diagnostic::{self, Diagnostic};
use crate::js::truthy;
use crate::plan::object;
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
        let names: Vec<Rc<str>> =
            scope.functions.iter().map(|key| Rc::from(format!("{}-{}-{key}", scope.service, scope.stage))).collect();
        let api: Rc<str> = Rc::from(format!("{}-{}", scope.stage, scope.service));
        let widgets: Vec<Widget<'_>> = slots.iter().map(|slot| widget(slot, scope, &names, &api)).collect();
        #[derive(Serialize)]
        struct Body<'a> {
            widgets: Vec<Widget<'a>>,
        }
        let body = serde_json::to_string(&Body { widgets }).unwrap_or_default();
        let (id, dashboard_name) = match *name {
            "default" => ("AlertsDashboard".to_owned(), format!("{}-{}-{}", scope.service, scope.stage, scope.region)),
            other => (
                format!("AlertsDashboard{other}"),
                format!("{}-{}-{}-{other}", scope.service, scope.stage, scope.region),
            ),
        };
        out.push((
            id,
            crate::plan::resource(
                "AWS::CloudWatch::Dashboard",
                object([("DashboardName", Value::String(dashboard_name)), ("DashboardBody", Value::String(body))]),
            ),
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

/// One widget, serialised with its keys in the original's order: type, x,
/// y, width, height, properties (title, view, [stacked], metrics, region,
/// [period]). The body is written straight to text: a dashboard holds a row
/// per function in most widgets, and building those rows as `Value`s first
/// was most of the alerts pass's time.
#[derive(Serialize)]
struct Widget<'a> {
    r#type: &'static str,
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Properties<'a> {
    title: &'static str,
    view: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stacked: Option<bool>,
    metrics: Vec<Row<'a>>,
    region: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
}

/// `[namespace, metric, dimension, value, {stat, period, [region], [label]}]`.
struct Row<'a> {
    namespace: &'static str,
    metric: &'static str,
    dimension: &'static str,
    value: Rc<str>,
    options: RowOptions<'a>,
}

#[derive(Serialize)]
struct RowOptions<'a> {
    stat: &'static str,
    period: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<Label<'a>>,
}

/// A row's label: a function key, an API metric, or `<key> <percentile>`.
enum Label<'a> {
    Plain(&'a str),
    Percentile(&'a str, &'static str),
}

impl Serialize for Label<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Label::Plain(label) => serializer.serialize_str(label),
            Label::Percentile(key, p) => serializer.collect_str(&format_args!("{key} {p}")),
        }
    }
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut row = serializer.serialize_tuple(5)?;
        row.serialize_element(self.namespace)?;
        row.serialize_element(self.metric)?;
        row.serialize_element(self.dimension)?;
        row.serialize_element(&*self.value)?;
        row.serialize_element(&self.options)?;
        row.end()
    }
}

fn widget<'a>(
    &(title, metric, display, [x, y, width, height]): &Slot,
    scope: &Scope<'a>,
    names: &[Rc<str>],
    api: &Rc<str>,
) -> Widget<'a> {
    let api_time_series = matches!(metric, ApiRequests | ApiLatency) && display == TimeSeries;
    Widget {
        r#type: "metric",
        x,
        y,
        width,
        height,
        properties: Properties {
            title,
            view: if display == TimeSeries { "timeSeries" } else { "singleValue" },
            stacked: (display == TimeSeries).then_some(false),
            metrics: metrics(metric, display, scope, names, api),
            region: scope.region,
            period: (!api_time_series).then_some(300),
        },
    }
}

/// Seconds in the 30-day window of a numbers widget.
const MONTH: u32 = 2_592_000;

fn metrics<'a>(metric: Metric, display: Display, scope: &Scope<'a>, names: &[Rc<str>], api: &Rc<str>) -> Vec<Row<'a>> {
    let region = Some(scope.region);
    let lambda = |name, function_name: &Rc<str>, stat, period, label| Row {
        namespace: "AWS/Lambda",
        metric: name,
        dimension: "FunctionName",
        value: Rc::clone(function_name),
        options: RowOptions { stat, period, region, label: Some(label) },
    };
    let gateway = |name, stat, period, region, label| Row {
        namespace: "AWS/ApiGateway",
        metric: name,
        dimension: "ApiName",
        value: Rc::clone(api),
        options: RowOptions { stat, period, region, label },
    };
    let functions = scope.functions.iter().zip(names);
    match (metric, display) {
        (LambdaSum(name), TimeSeries) => functions.map(|(f, n)| lambda(name, n, "Sum", 900, Label::Plain(f))).collect(),
        (LambdaSum(name), Numbers) => functions.map(|(f, n)| lambda(name, n, "Sum", MONTH, Label::Plain(f))).collect(),
        (LambdaPercentiles(name), TimeSeries) => functions
            .flat_map(|(f, n)| ["p50", "p90"].map(|p| lambda(name, n, p, 900, Label::Percentile(f, p))))
            .collect(),
        (LambdaPercentiles(name), Numbers) => {
            functions.map(|(f, n)| lambda(name, n, "Average", MONTH, Label::Plain(f))).collect()
        }
        (ApiRequests, TimeSeries) => {
            ["5XXError", "4XXError", "Count"].map(|m| gateway(m, "Sum", 900, None, None)).into()
        }
        (ApiRequests, Numbers) => {
            ["5XXError", "4XXError", "Count"].map(|m| gateway(m, "Sum", MONTH, region, Some(Label::Plain(m)))).into()
        }
        (ApiLatency, TimeSeries) => {
            [("IntegrationLatency", "p50"), ("Latency", "p50"), ("IntegrationLatency", "p90"), ("Latency", "p90")]
                .map(|(m, p)| gateway(m, p, 900, region, None))
                .into()
        }
        (ApiLatency, Numbers) => ["IntegrationLatency", "Latency"]
            .map(|m| gateway(m, "Average", MONTH, region, Some(Label::Plain(m))))
            .into(),
    }
}
