//! `stream` events (`compile/events/stream.js`): DynamoDB and Kinesis
//! streams read by an `AWS::Lambda::EventSourceMapping`, an
//! `AWS::Kinesis::StreamConsumer` for `consumer: true`, and the role
//! statements each function needs, added after that function's events.

use serde_json::{Map, Value, json};

use super::super::{Compiler, Function};
use super::sources::{alias_id, event_path, events_of, filter_criteria, first_of, last_joined, role_dependency};
use crate::diagnostic::{self, Diagnostic};
use crate::js::{to_js_string, truthy};
use crate::naming;

/// The role statements of one function, in the order the Framework adds them.
#[derive(Default)]
struct Statements {
    dynamodb: Vec<Value>,
    kinesis: Vec<Value>,
    kinesis_with_consumer: Vec<Value>,
    consumer: Vec<Value>,
    on_failure_sns: Vec<Value>,
    on_failure_sqs: Vec<Value>,
}

/// Every function's `stream` events, in service order.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    for function in &functions {
        let mut statements = Statements::default();
        for (index, event) in events_of(function, "stream") {
            let path = event_path(function, index, "stream");
            if let Err(diagnostic) = mapping(compiler, function, event, path, &mut statements) {
                compiler.diagnostics.push(diagnostic);
            }
        }
        let Some(role) = compiler.role_statements() else { continue };
        let groups = [
            (
                statements.dynamodb,
                &[
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                    "dynamodb:DescribeStream",
                    "dynamodb:ListStreams",
                ][..],
            ),
            (
                statements.kinesis,
                &["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams"],
            ),
            (
                statements.kinesis_with_consumer,
                &[
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:ListShards",
                ],
            ),
            (statements.consumer, &["kinesis:SubscribeToShard"]),
            (statements.on_failure_sns, &["sns:Publish"]),
            (statements.on_failure_sqs, &["sqs:ListQueues", "sqs:SendMessage"]),
        ];
        for (resources, actions) in groups {
            if !resources.is_empty() {
                role.push(json!({"Effect": "Allow", "Action": actions, "Resource": resources}));
            }
        }
    }
    compiler.functions = functions;
}

fn mapping(
    compiler: &mut Compiler<'_>,
    function: &Function<'_>,
    event: &Value,
    path: String,
    statements: &mut Statements,
) -> Result<(), Diagnostic> {
    let unusable = |what: &str| diagnostic::event_value_unusable(path.clone(), what);
    let settings = event.as_object();
    let setting = |key: &str| settings.and_then(|s| s.get(key));
    let present = |key: &str| setting(key).filter(|v| !v.is_null());
    let arn = match event {
        Value::Object(settings) => settings.get("arn").cloned().unwrap_or(Value::Null),
        _ => event.clone(),
    };
    let stream_type = match setting("type").filter(|v| truthy(v)) {
        Some(kind) => to_js_string(Some(kind)),
        None => match &arn {
            Value::String(arn) => arn.split(':').nth(2).map(str::to_owned).unwrap_or_default(),
            _ => return Err(unusable("an `arn` given by an intrinsic function needs `type: dynamodb|kinesis`")),
        },
    };
    let Some(stream_name) = stream_name(&arn) else {
        return Err(unusable("the stream's name cannot be read from its ARN"));
    };
    let id = format!(
        "{}EventSourceMapping{}{}",
        function.normalized,
        naming::upper_first(&stream_type),
        naming::alphanumeric_only(&stream_name)
    );
    let mut depends = Vec::new();
    depends.extend(role_dependency(compiler, function).map(Value::String));
    depends.extend(alias_id(function).map(Value::String));

    let mut properties = Map::new();
    properties.insert("BatchSize".into(), setting("batchSize").filter(|v| truthy(v)).cloned().unwrap_or(json!(10)));
    properties.insert("Enabled".into(), setting("enabled").cloned().unwrap_or(json!(true)));
    properties.insert("EventSourceArn".into(), arn.clone());
    properties.insert("FunctionName".into(), function.target());
    if let Some(factor) = setting("parallelizationFactor").filter(|v| truthy(v)) {
        properties.insert("ParallelizationFactor".into(), factor.clone());
    }
    let starting = setting("startingPosition").filter(|v| truthy(v)).cloned().unwrap_or(json!("TRIM_HORIZON"));
    properties.insert("StartingPosition".into(), starting);

    let consumer = setting("consumer").filter(|v| truthy(v));
    if stream_type == "dynamodb" {
        statements.dynamodb.push(arn.clone());
    } else if consumer.is_some() {
        statements.kinesis_with_consumer.push(arn.clone());
    } else {
        statements.kinesis.push(arn.clone());
    }
    for (key, property) in [
        ("batchWindow", "MaximumBatchingWindowInSeconds"),
        ("maximumRetryAttempts", "MaximumRetryAttempts"),
        ("bisectBatchOnFunctionError", "BisectBatchOnFunctionError"),
    ] {
        if let Some(value) = present(key) {
            properties.insert(property.into(), value.clone());
        }
    }
    if let Some(kind) = present("functionResponseType") {
        properties.insert("FunctionResponseTypes".into(), json!([kind]));
    }
    if let Some(age) = setting("maximumRecordAgeInSeconds").filter(|v| truthy(v)) {
        properties.insert("MaximumRecordAgeInSeconds".into(), age.clone());
    }
    if let Some(window) = present("tumblingWindowInSeconds") {
        properties.insert("TumblingWindowInSeconds".into(), window.clone());
    }
    if let Some(destinations) = setting("destinations").filter(|v| truthy(v)) {
        let on_failure = destinations.get("onFailure").cloned().unwrap_or(Value::Null);
        let destination = match &on_failure {
            Value::Object(target) => target.get("arn").cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        let kind = match on_failure.get("type").filter(|v| truthy(v)) {
            Some(kind) => to_js_string(Some(kind)),
            None => match &destination {
                Value::String(arn) => arn.split(':').nth(2).map(str::to_owned).unwrap_or_default(),
                _ => {
                    return Err(unusable(
                        "an `onFailure` destination given by an intrinsic function needs `type: sns|sqs`",
                    ));
                }
            },
        };
        if kind == "sns" {
            statements.on_failure_sns.push(destination.clone());
        } else {
            statements.on_failure_sqs.push(destination.clone());
        }
        properties.insert("DestinationConfig".into(), json!({"OnFailure": {"Destination": destination}}));
    }
    if let Some(patterns) = setting("filterPatterns").filter(|v| truthy(v)) {
        let Ok(criteria) = filter_criteria(patterns) else { return Err(unusable("`filterPatterns` must be a list")) };
        properties.insert("FilterCriteria".into(), criteria);
    }

    let mut consumer_resource = None;
    if let Some(consumer) = consumer
        && stream_type == "kinesis"
    {
        if consumer == &Value::Bool(true) {
            let name = if compiler.provider("kinesis").and_then(|k| k.get("consumerNamingMode")).is_some_and(truthy) {
                format!("{}{stream_name}{}{}Consumer", function.key, compiler.service, compiler.stage)
            } else {
                format!("{}{stream_name}Consumer", function.key)
            };
            let consumer_id = format!("{}StreamConsumer", naming::normalized_resource_name(&name));
            consumer_resource = Some((
                consumer_id.clone(),
                json!({"Type": "AWS::Kinesis::StreamConsumer", "Properties": {"StreamARN": arn, "ConsumerName": name}}),
            ));
            depends.push(json!(consumer_id));
            let reference = json!({"Ref": consumer_id});
            properties.insert("EventSourceArn".into(), reference.clone());
            statements.consumer.push(reference);
        } else {
            properties.insert("EventSourceArn".into(), consumer.clone());
            statements.consumer.push(consumer.clone());
        }
        let timestamp = setting("startingPositionTimestamp").filter(|v| truthy(v));
        if setting("startingPosition").and_then(Value::as_str) == Some("AT_TIMESTAMP") && timestamp.is_none() {
            return Err(diagnostic::stream_timestamp_missing(path.clone()));
        }
        if let Some(timestamp) = timestamp {
            properties.insert("StartingPositionTimestamp".into(), timestamp.clone());
        }
    }
    compiler.merge_resource(
        &id,
        json!({"Type": "AWS::Lambda::EventSourceMapping", "DependsOn": depends, "Properties": properties}),
    );
    if let Some((consumer_id, resource)) = consumer_resource {
        compiler.merge_resource(&consumer_id, resource);
    }
    Ok(())
}

/// The stream's name for the logical ID: `Fn::GetAtt`'s logical ID,
/// `Fn::ImportValue`'s name, `Ref`'s target, the part after the last `/` of
/// `Fn::Join`'s last item, or the part after the first `/` of the ARN.
/// `None` where the Framework fails.
fn stream_name(arn: &Value) -> Option<String> {
    match arn {
        Value::Object(intrinsic) => {
            let field = |key: &str| intrinsic.get(key).filter(|v| truthy(v));
            if let Some(get_att) = field("Fn::GetAtt") {
                first_of(get_att)
            } else if let Some(import) = field("Fn::ImportValue") {
                import.as_str().map(str::to_owned)
            } else if let Some(reference) = field("Ref") {
                reference.as_str().map(str::to_owned)
            } else if let Some(join) = field("Fn::Join") {
                last_joined(join).map(|name| name.rsplit('/').next().unwrap_or_default().to_owned())
            } else {
                None
            }
        }
        Value::String(arn) => arn.split('/').nth(1).map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_follow_the_framework() {
        let table = "arn:aws:dynamodb:us-east-1:1:table/users/stream/2024-01-01T00:00:00.000";
        assert_eq!(stream_name(&json!(table)), Some("users".into()));
        assert_eq!(stream_name(&json!("arn:aws:kinesis:us-east-1:1:stream/clicks")), Some("clicks".into()));
        assert_eq!(stream_name(&json!("arn:aws:kinesis:us-east-1:1:clicks")), None);
        assert_eq!(stream_name(&json!({"Fn::GetAtt": ["Orders", "StreamArn"]})), Some("Orders".into()));
        assert_eq!(stream_name(&json!({"Ref": "StreamParam"})), Some("StreamParam".into()));
        let join = json!({"Fn::Join": ["", ["arn:aws:kinesis:", {"Ref": "AWS::Region"}, ":1:stream/views"]]});
        assert_eq!(stream_name(&join), Some("views".into()));
    }
}
