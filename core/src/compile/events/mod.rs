//! `package:compileEvents`: one compiler per event type, run in the order
//! the Framework loads its event plugins (`lib/plugins/index.js`). Each
//! compiler walks every function's events of its type, as the Framework's do.

mod cloudwatch;
mod event_bridge;
mod http;
mod http_api;
mod iot;
mod s3;
mod schedule;
mod sns;
mod sources;
mod sqs;
mod stream;
mod websocket;

use serde_json::Value;

use super::{Compiler, Function};
use crate::diagnostic;

/// The headers a CORS preflight allows when none are given, for REST and
/// HTTP APIs alike.
const DEFAULT_CORS_HEADERS: [&str; 7] = [
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amz-User-Agent",
    "X-Amzn-Trace-Id",
];

/// A compiler for one event type.
type EventCompiler = fn(&mut Compiler<'_>);

/// The Framework's event types in its plugin order, with canaria's compiler
/// where it has one.
const EVENTS: &[(&str, Option<EventCompiler>)] = &[
    ("schedule", Some(schedule::compile)),
    ("s3", Some(s3::compile)),
    ("http", Some(http::compile)),
    ("websocket", Some(websocket::compile)),
    ("sns", Some(sns::compile)),
    ("stream", Some(stream::compile)),
    ("kafka", None),
    ("activemq", None),
    ("rabbitmq", None),
    ("msk", None),
    ("alb", None),
    ("alexaSkill", None),
    ("alexaSmartHome", None),
    ("iot", Some(iot::compile)),
    ("iotFleetProvisioning", None),
    ("cloudwatchEvent", Some(cloudwatch::compile_events)),
    ("cloudwatchLog", Some(cloudwatch::compile_logs)),
    ("cognitoUserPool", None),
    ("eventBridge", Some(event_bridge::compile)),
    ("sqs", Some(sqs::compile)),
    ("cloudFront", None),
    ("httpApi", Some(http_api::compile)),
];

/// The event type of one `events:` entry: its only key, or the string.
pub(crate) fn event_type(event: &Value) -> Option<&str> {
    match event {
        Value::Object(map) if map.len() == 1 => map.keys().next().map(String::as_str),
        Value::String(name) => Some(name),
        _ => None,
    }
}

/// Runs every compiler, then reports the events none of them compiled.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    for (_, compile) in EVENTS {
        if let Some(compile) = compile {
            compile(compiler);
        }
    }
    let known: Vec<&str> = EVENTS.iter().map(|(name, _)| *name).collect();
    let mut found = Vec::new();
    for function in &compiler.functions {
        for (index, event) in function.events().iter().enumerate() {
            let path = format!("{}.events[{index}]", function.path());
            match event_type(event) {
                Some(name) => match EVENTS.iter().find(|(known, _)| *known == name) {
                    Some((_, Some(_))) => {}
                    Some((_, None)) => found.push(diagnostic::unsupported_event(format!("{path}.{name}"), name)),
                    None => found.push(diagnostic::unknown_event(format!("{path}.{name}"), name, &known)),
                },
                None => found.push(diagnostic::unknown_event(path, "", &known)),
            }
        }
    }
    compiler.diagnostics.extend(found);
}
