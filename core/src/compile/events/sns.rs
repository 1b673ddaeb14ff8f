//! `sns` events (`compile/events/sns.js`): a topic named by the event is
//! created with the function subscribed inline (or by an
//! `AWS::SNS::Subscription` when the event filters or redrives); a topic
//! given by ARN gets a subscription. Each gets a permission, and a redrive
//! policy a queue policy letting the topic send to the dead-letter queue.

use serde_json::{Map, Value, json};

use super::super::{Compiler, Function};
use super::sources::{alias_id, event_path, events_of};
use crate::diagnostic;
use crate::js::truthy;
use crate::naming;

/// Every function's `sns` events, in service order.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    for function in &functions {
        for (index, event) in events_of(function, "sns") {
            let path = event_path(function, index, "sns");
            if let Err(diagnostic) = subscribe(compiler, function, event, path) {
                compiler.diagnostics.push(diagnostic);
            }
        }
    }
    compiler.functions = functions;
}

/// `arn.replace(/::/g, '@@').split(':').map((s) => s.replace(/@@/g, '::'))`.
fn split_arn(arn: &str) -> Vec<String> {
    arn.replace("::", "@@").split(':').map(|part| part.replace("@@", "::")).collect()
}

fn subscribe(
    compiler: &mut Compiler<'_>,
    function: &Function<'_>,
    event: &Value,
    path: String,
) -> Result<(), diagnostic::Diagnostic> {
    let unusable = |what: &str| diagnostic::event_value_unusable(path.clone(), what);
    let mut topic_arn: Option<Value> = None;
    let mut region: Option<String> = None;
    let topic_name: String = match event {
        Value::Object(settings) => {
            if let Some(arn) = settings.get("arn").filter(|v| truthy(v)) {
                topic_arn = Some(arn.clone());
                let mut name = None;
                if let Value::String(arn) = arn {
                    let parts = split_arn(arn);
                    name = parts.last().cloned();
                    let arn_region = parts.get(3).cloned();
                    if arn_region.as_deref() != Some(compiler.region.as_str()) {
                        region = arn_region;
                    }
                }
                match settings.get("topicName").filter(|v| truthy(v)) {
                    Some(Value::String(given)) => given.clone(),
                    Some(_) => return Err(unusable("`topicName` must be a string")),
                    None => match name.filter(|n| !n.is_empty()) {
                        Some(name) => name,
                        None => return Err(diagnostic::sns_topic_name_missing(path.clone())),
                    },
                }
            } else {
                match settings.get("topicName") {
                    Some(Value::String(name)) => name.clone(),
                    _ => return Err(unusable("the event has neither an `arn` nor a `topicName` string")),
                }
            }
        }
        Value::String(text) if text.starts_with("arn:") => {
            topic_arn = Some(event.clone());
            text.rsplit(':').next().unwrap_or_default().to_owned()
        }
        Value::String(name) => name.clone(),
        _ => return Err(unusable("an SNS event is a topic name, an ARN, or an object")),
    };
    let topic_key = naming::alphanumeric_only(&topic_name);

    let mut redrive = None;
    if let Some(policy) = event.get("redrivePolicy").filter(|v| truthy(v)) {
        let field = |key: &str| policy.get(key).filter(|v| truthy(v));
        let (target_arn, target_url) = if let Some(arn) = field("deadLetterTargetArn") {
            let Some(arn) = arn.as_str() else { return Err(unusable("`deadLetterTargetArn` must be a string")) };
            let mut parts = arn.split(':').rev();
            let (queue, account, queue_region) = (parts.next(), parts.next(), parts.next());
            let text = |part: Option<&str>| part.map_or_else(|| "undefined".to_owned(), str::to_owned);
            let url = json!({"Fn::Join": ["", [
                format!("https://sqs.{}.", text(queue_region)),
                {"Ref": "AWS::URLSuffix"},
                format!("/{}/{}", text(account), text(queue)),
            ]]});
            (json!(arn), url)
        } else if let Some(reference) = field("deadLetterTargetRef") {
            (json!({"Fn::GetAtt": [reference, "Arn"]}), json!({"Ref": reference}))
        } else {
            let Some(import) = field("deadLetterTargetImport") else {
                return Err(unusable("`redrivePolicy` names no dead-letter queue"));
            };
            let arn = import.get("arn").cloned().unwrap_or(Value::Null);
            let url = import.get("url").cloned().unwrap_or(Value::Null);
            (json!({"Fn::ImportValue": arn}), json!({"Fn::ImportValue": url}))
        };
        redrive = Some(json!({"deadLetterTargetArn": target_arn}));
        let policy_id = format!("{topic_key}To{}DLQPolicy", function.normalized);
        let mut condition = Map::new();
        if let Some(arn) = &topic_arn {
            condition.insert("aws:SourceArn".into(), arn.clone());
        }
        compiler.resources.insert(
            policy_id.clone(),
            json!({"Type": "AWS::SQS::QueuePolicy", "Properties": {
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Id": policy_id,
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"Service": "sns.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": target_arn,
                        "Condition": {"ArnEquals": condition}
                    }]
                },
                "Queues": [target_url]
            }}),
        );
    }

    let endpoint = function.target();
    let subscription_id = format!("{}SnsSubscription{topic_key}", function.normalized);
    let filter_policy = event.get("filterPolicy");
    let filter_scope = event.get("filterPolicyScope");
    let alias = alias_id(function);
    let source_arn = match topic_arn {
        Some(arn) => {
            let mut properties = Map::new();
            properties.insert("TopicArn".into(), arn.clone());
            properties.insert("Protocol".into(), json!("lambda"));
            properties.insert("Endpoint".into(), endpoint.clone());
            insert_some(&mut properties, "FilterPolicy", filter_policy.cloned());
            insert_some(&mut properties, "FilterPolicyScope", filter_scope.cloned());
            insert_some(&mut properties, "RedrivePolicy", redrive);
            insert_some(&mut properties, "Region", region.map(Value::String));
            let mut resource = Map::new();
            resource.insert("Type".into(), json!("AWS::SNS::Subscription"));
            insert_some(&mut resource, "DependsOn", alias.clone().map(Value::String));
            resource.insert("Properties".into(), Value::Object(properties));
            compiler.merge_resource(&subscription_id, Value::Object(resource));
            arn
        }
        None => {
            let arn = json!({"Fn::Join": ["", [
                "arn:", {"Ref": "AWS::Partition"}, ":sns:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":", topic_name
            ]]});
            let topic_id = format!("SNSTopic{topic_key}");
            if !compiler.resources.contains_key(&topic_id) {
                let mut properties = Map::new();
                properties.insert("TopicName".into(), json!(topic_name));
                if let Some(display) = event.get("displayName").filter(|v| truthy(v)) {
                    properties.insert("DisplayName".into(), display.clone());
                }
                let mut resource = Map::new();
                resource.insert("Type".into(), json!("AWS::SNS::Topic"));
                insert_some(&mut resource, "DependsOn", alias.clone().map(Value::String));
                resource.insert("Properties".into(), Value::Object(properties));
                compiler.merge_resource(&topic_id, Value::Object(resource));
            }
            let subscription = json!({"Endpoint": endpoint, "Protocol": "lambda"});
            if filter_policy.is_some_and(truthy) || redrive.is_some() {
                let mut properties = subscription.as_object().cloned().unwrap_or_default();
                properties.insert("TopicArn".into(), json!({"Ref": topic_id}));
                insert_some(&mut properties, "FilterPolicy", filter_policy.cloned());
                insert_some(&mut properties, "FilterPolicyScope", filter_scope.cloned());
                insert_some(&mut properties, "RedrivePolicy", redrive);
                compiler.merge_resource(
                    &subscription_id,
                    json!({"Type": "AWS::SNS::Subscription", "Properties": properties}),
                );
            } else if let Some(properties) = compiler
                .resources
                .get_mut(&topic_id)
                .and_then(|t| t.get_mut("Properties"))
                .and_then(Value::as_object_mut)
            {
                let list = properties.entry("Subscription").or_insert_with(|| json!([]));
                if !truthy(list) {
                    *list = json!([]);
                }
                if let Some(list) = list.as_array_mut() {
                    list.push(subscription);
                }
            }
            arn
        }
    };

    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Lambda::Permission"));
    insert_some(&mut resource, "DependsOn", alias.map(Value::String));
    resource.insert(
        "Properties".into(),
        json!({
            "FunctionName": endpoint,
            "Action": "lambda:InvokeFunction",
            "Principal": "sns.amazonaws.com",
            "SourceArn": source_arn
        }),
    );
    compiler.merge_resource(&format!("{}LambdaPermission{topic_key}SNS", function.normalized), Value::Object(resource));
    Ok(())
}

/// Sets `key` when there is a value (JavaScript's `undefined` is left out).
fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.into(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_split_on_single_colons() {
        assert_eq!(split_arn("arn:aws:sns:us-east-1:1:t"), ["arn", "aws", "sns", "us-east-1", "1", "t"]);
        assert_eq!(split_arn("arn:aws:sns::1:t"), ["arn", "aws", "sns::1", "t"]);
    }
}
