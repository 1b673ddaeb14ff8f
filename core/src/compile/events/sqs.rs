//! `sqs` events (`compile/events/sqs.js`): one
//! `AWS::Lambda::EventSourceMapping` per queue and function, and one role
//! statement that lets the function read every queue.

use serde_json::{Map, Value, json};

use super::super::Compiler;
use super::sources::{alias_id, event_path, events_of, filter_criteria, first_of, last_joined, role_dependency};
use crate::diagnostic;
use crate::js::truthy;
use crate::naming;

/// Every function's `sqs` events, in service order.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    let mut queues = Vec::new();
    for function in &functions {
        for (index, event) in events_of(function, "sqs") {
            let path = event_path(function, index, "sqs");
            let (arn, batch_size, enabled) = match event {
                Value::Object(settings) => (
                    settings.get("arn").cloned(),
                    settings.get("batchSize").filter(|v| truthy(v)).cloned().unwrap_or(json!(10)),
                    settings.get("enabled").cloned().unwrap_or(json!(true)),
                ),
                Value::String(_) => (Some(event.clone()), json!(10), json!(true)),
                _ => (None, json!(10), json!(true)),
            };
            let Some((arn, queue)) = arn.and_then(|arn| queue_name(&arn).map(|queue| (arn, queue))) else {
                let what = "the queue's name cannot be read from its ARN";
                compiler.diagnostics.push(diagnostic::event_value_unusable(path, what));
                continue;
            };
            let id = format!("{}EventSourceMappingSQS{}", function.normalized, naming::alphanumeric_only(&queue));
            let mut depends = Vec::new();
            depends.extend(role_dependency(compiler, function));
            depends.extend(alias_id(function));
            let mut properties = Map::new();
            properties.insert("BatchSize".into(), batch_size);
            if let Some(window) = event.get("maximumBatchingWindow").filter(|v| !v.is_null()) {
                properties.insert("MaximumBatchingWindowInSeconds".into(), window.clone());
            }
            properties.insert("EventSourceArn".into(), arn.clone());
            properties.insert("FunctionName".into(), function.target());
            properties.insert("Enabled".into(), enabled);
            if let Some(kind) = event.get("functionResponseType").filter(|v| !v.is_null()) {
                properties.insert("FunctionResponseTypes".into(), json!([kind]));
            }
            if let Some(patterns) = event.get("filterPatterns").filter(|v| truthy(v)) {
                match filter_criteria(patterns) {
                    Ok(criteria) => {
                        properties.insert("FilterCriteria".into(), criteria);
                    }
                    Err(()) => {
                        let what = "`filterPatterns` must be a list";
                        compiler
                            .diagnostics
                            .push(diagnostic::event_value_unusable(format!("{path}.filterPatterns"), what));
                        continue;
                    }
                }
            }
            if let Some(concurrency) = event.get("maximumConcurrency").filter(|v| truthy(v)) {
                properties.insert("ScalingConfig".into(), json!({"MaximumConcurrency": concurrency}));
            }
            queues.push(arn);
            compiler.merge_resource(
                &id,
                json!({"Type": "AWS::Lambda::EventSourceMapping", "DependsOn": depends, "Properties": properties}),
            );
        }
    }
    compiler.functions = functions;
    if !queues.is_empty()
        && let Some(statements) = compiler.role_statements()
    {
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            "Resource": queues
        }));
    }
}

/// The queue's name for the logical ID: `Fn::GetAtt`'s logical ID,
/// `Fn::ImportValue`'s name, `Fn::Join`'s last part, or the ARN's last
/// `:` segment. `None` where the Framework fails.
fn queue_name(arn: &Value) -> Option<String> {
    match arn {
        Value::Object(intrinsic) => {
            if let Some(get_att) = intrinsic.get("Fn::GetAtt").filter(|v| truthy(v)) {
                first_of(get_att)
            } else if let Some(import) = intrinsic.get("Fn::ImportValue").filter(|v| truthy(v)) {
                import.as_str().map(str::to_owned)
            } else if let Some(join) = intrinsic.get("Fn::Join").filter(|v| truthy(v)) {
                last_joined(join)
            } else {
                None
            }
        }
        Value::String(arn) => arn.rsplit(':').next().map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_names_follow_the_framework() {
        assert_eq!(queue_name(&json!("arn:aws:sqs:us-east-1:1:my-queue")), Some("my-queue".into()));
        assert_eq!(queue_name(&json!({"Fn::GetAtt": ["Jobs", "Arn"]})), Some("Jobs".into()));
        assert_eq!(queue_name(&json!({"Fn::ImportValue": "shared-queue-arn"})), Some("shared-queue-arn".into()));
        let join = json!({"Fn::Join": [":", ["arn:aws:sqs", {"Ref": "AWS::Region"}, "1", "orders"]]});
        assert_eq!(queue_name(&join), Some("orders".into()));
        assert_eq!(queue_name(&json!({"Ref": "Queue"})), None);
        assert_eq!(queue_name(&json!({"Fn::ImportValue": {"Fn::Sub": "x"}})), None);
    }
}
