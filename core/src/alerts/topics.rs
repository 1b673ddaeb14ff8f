//! `custom.alerts.topics`: the SNS topics alarms notify, and the action each
//! state of each group resolves to.

use serde_json::{Map, Value, json};

use crate::diagnostic::{self, Diagnostic};
use crate::js::truthy;
use crate::naming::normalized_resource_name;

/// The three alarm states, as `topics:` keys.
pub(super) const STATES: [&str; 3] = ["ok", "alarm", "insufficientData"];

/// What each alarm state notifies: the global topics, and the topic groups
/// an alarm opts into with `okActions` & co.
#[derive(Default)]
pub(super) struct Topics {
    /// `ok` / `alarm` / `insufficientData` → action (a `Ref`, an ARN, an intrinsic).
    pub global: Map<String, Value>,
    /// group → state → action.
    pub groups: Map<String, Value>,
}

/// Reads `topics`, adding the SNS topics it creates to `resources`.
pub(super) fn compile(
    topics: Option<&Value>,
    resources: &mut Map<String, Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Topics {
    let mut out = Topics::default();
    let Some(topics) = topics.filter(|t| truthy(t)) else { return out };
    let Some(topics) = topics.as_object() else {
        diagnostics.push(diagnostic::alerts_wrong_type("custom.alerts.topics".into(), "an object", topics));
        return out;
    };
    for (key, value) in topics {
        if STATES.contains(&key.as_str()) {
            if let Some(action) = topic(None, key, value, resources, diagnostics) {
                out.global.insert(key.clone(), action);
            }
            continue;
        }
        let Some(group) = value.as_object() else {
            let path = format!("custom.alerts.topics.{key}");
            diagnostics.push(diagnostic::alerts_wrong_type(path, "a topic group (an object of states)", value));
            continue;
        };
        let mut states = Map::new();
        for (state, value) in group {
            if let Some(action) = topic(Some(key), state, value, resources, diagnostics) {
                states.insert(state.clone(), action);
            }
        }
        out.groups.insert(key.clone(), Value::Object(states));
    }
    out
}

/// One topic entry: a name (a topic is created), an ARN or an intrinsic
/// (used as it is), or `{topic, notifications}`.
fn topic(
    group: Option<&str>,
    key: &str,
    config: &Value,
    resources: &mut Map<String, Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Value> {
    let path = match group {
        Some(group) => format!("custom.alerts.topics.{group}.{key}"),
        None => format!("custom.alerts.topics.{key}"),
    };
    let (topic, notifications) = match config {
        Value::Object(config) => (config.get("topic")?, config.get("notifications")),
        // `lodash.isObject` holds for lists too: the original reads
        // `list.topic`, finds nothing and adds no action.
        Value::Array(_) => {
            diagnostics.push(diagnostic::topic_ignored(path, config));
            return None;
        }
        other => (other, None),
    };
    if !truthy(topic) {
        return None;
    }
    let name = match topic {
        Value::String(name) if !name.starts_with("arn:") => name,
        Value::String(_) | Value::Object(_) | Value::Array(_) => return Some(topic.clone()),
        other => {
            diagnostics.push(diagnostic::alerts_wrong_type(
                path,
                "a topic name, an ARN or an intrinsic function",
                other,
            ));
            return None;
        }
    };
    let subscriptions: Vec<Value> = match notifications {
        Some(Value::Array(list)) => list.iter().map(subscription).collect(),
        Some(other) if truthy(other) => {
            diagnostics.push(diagnostic::alerts_wrong_type(format!("{path}.notifications"), "a list", other));
            return None;
        }
        _ => Vec::new(),
    };
    let id = format!(
        "AwsAlerts{}{}",
        group.map(normalized_resource_name).unwrap_or_default(),
        normalized_resource_name(key)
    );
    if resources.contains_key(&id) {
        diagnostics.push(diagnostic::logical_id_collision(path, &id, "another alert topic"));
        return None;
    }
    resources.insert(
        id.clone(),
        json!({"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name, "Subscription": subscriptions}}),
    );
    Some(json!({"Ref": id}))
}

/// `{protocol, endpoint}` → `{Protocol, Endpoint}`, leaving out what is absent.
fn subscription(notification: &Value) -> Value {
    let mut out = Map::new();
    for (from, to) in [("protocol", "Protocol"), ("endpoint", "Endpoint")] {
        if let Some(value) = notification.get(from) {
            out.insert(to.into(), value.clone());
        }
    }
    Value::Object(out)
}
