//! Properties of the plugin passes over generated templates and settings:
//! nothing canaria does not own or rewire changes, no resource or output is
//! lost, and a pass over its own output changes nothing (`sls package`, then
//! `sls deploy --package`).

use canaria_core::{Service, alerts, canary};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const TYPES: &[&str] = &[
    "Canary10Percent5Minutes",
    "Linear10PercentEvery1Minute",
    "AllAtOnce",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery10Minutes",
];

/// A reference to one of `functions` functions (or to something else).
fn reference(functions: usize) -> impl Strategy<Value = Value> {
    (0..functions + 1, 0..3u8).prop_map(move |(target, form)| {
        let id = if target == functions { "SomethingElse".to_owned() } else { format!("F{target}LambdaFunction") };
        match form {
            0 => json!({"Ref": id}),
            1 => json!({"Fn::GetAtt": [id, "Arn"]}),
            _ => json!({"Fn::Join": [":", [{"Fn::GetAtt": [id, "Arn"]}, "x"]]}),
        }
    })
}

/// A resource that may invoke one of the functions, or not.
fn resource(functions: usize) -> impl Strategy<Value = Value> {
    (0..13u8, reference(functions), "[a-z]{0,8}").prop_map(|(kind, target, text)| match kind {
        0 => json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": target, "Action": "lambda:InvokeFunction", "Principal": "sns.amazonaws.com"}}),
        1 => json!({"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
            "FunctionName": target, "EventSourceArn": format!("arn:aws:sqs:us-east-1:1:{text}")}}),
        2 => json!({"Type": "AWS::SNS::Topic", "Properties": {
            "Subscription": [{"Endpoint": target, "Protocol": "lambda"}]}}),
        3 => json!({"Type": "AWS::Events::Rule", "Properties": {"Targets": [{"Arn": target, "Id": text}]}}),
        4 => json!({"Type": "AWS::SQS::Queue", "Properties": {"QueueName": text}}),
        5 => json!({"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {
            "LambdaConfigurations": [{"Event": "s3:ObjectCreated:*", "Function": target}]}}}),
        7 => json!({"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE", "TargetFunctionArn": target}}),
        8 => json!({"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {
            "FunctionName": target, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0}}),
        9 => json!({"Type": "Custom::S3", "Properties": {"FunctionName": "svc-dev-f0", "BucketName": text}}),
        // Something that names one of the Framework's aliases of F0.
        10 => json!({"Type": "AWS::SQS::QueuePolicy", "DependsOn": ["F0ProvConcLambdaAlias", "F0SnapStartLambdaAlias"],
            "Properties": {"Queues": [text], "Target": {"Ref": "F0ProvConcLambdaAlias"},
                "Other": {"Ref": "F0SnapStartLambdaAlias"}}}),
        11 => json!({"Type": "AWS::Events::Rule", "DependsOn": ["F0SnapStartLambdaAlias"], "Properties": {
            "Targets": [{"Id": text, "Arn": {"Fn::Join": [":", [{"Fn::GetAtt": ["F0LambdaFunction", "Arn"]}, "snapstart"]]}}]}}),
        _ => json!({"Type": "Custom::Thing", "Properties": {"Anything": target, "Text": text}}),
    })
}

/// A template with `functions` versioned functions, other resources and
/// outputs; and a service whose functions may have canary settings (also as
/// the JSON text the plugin sends).
fn case() -> impl Strategy<Value = (Value, Service, String)> {
    (1..5usize)
        .prop_flat_map(|functions| {
            (
                Just(functions),
                prop::collection::vec(("[A-Z][a-zA-Z0-9]{0,12}", resource(functions)), 0..16),
                prop::collection::vec(("[A-Z][a-zA-Z0-9]{0,8}", "[a-z]{0,6}"), 0..4),
                prop::collection::vec(prop::option::of(0..TYPES.len()), functions),
                0..3u8,
            )
        })
        .prop_map(|(functions, extra, outputs, settings, framework_alias)| {
            let mut resources = Map::new();
            // The Framework's alias of F0, if any: `provisioned` or `snapstart`.
            match framework_alias {
                1 => resources.insert(
                    "F0ProvConcLambdaAlias".into(),
                    json!({"Type": "AWS::Lambda::Alias", "Properties": {
                        "FunctionName": {"Ref": "F0LambdaFunction"}, "Name": "provisioned",
                        "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 1}}}),
                ),
                2 => resources.insert(
                    "F0SnapStartLambdaAlias".into(),
                    json!({"Type": "AWS::Lambda::Alias", "Properties": {
                        "FunctionName": {"Ref": "F0LambdaFunction"}, "Name": "snapstart"}}),
                ),
                _ => None,
            };
            let mut configs = Map::new();
            for (i, setting) in settings.iter().enumerate() {
                let id = format!("F{i}LambdaFunction");
                resources
                    .insert(id.clone(), json!({"Type": "AWS::Lambda::Function", "Properties": {"Handler": "h.f"}}));
                resources.insert(
                    format!("F{i}LambdaVersionAbc{i}"),
                    json!({"Type": "AWS::Lambda::Version", "DeletionPolicy": "Retain",
                        "Properties": {"FunctionName": {"Ref": id}, "CodeSha256": "x"}}),
                );
                let mut config = json!({"name": format!("svc-dev-f{i}")});
                if let Some(kind) = setting {
                    config["deploymentSettings"] = json!({"type": TYPES[*kind], "alias": "Live"});
                }
                configs.insert(format!("f{i}"), config);
            }
            for (id, resource) in extra {
                resources.entry(format!("X{id}")).or_insert(resource);
            }
            let outputs: Map<String, Value> = outputs.into_iter().map(|(k, v)| (k, json!({"Value": v}))).collect();
            let template = json!({"Resources": resources, "Outputs": outputs});
            let service = json!({
                "service": "svc", "stackName": "svc-dev", "stage": "dev", "region": "us-east-1",
                "functions": configs
            });
            debug_assert!(functions > 0);
            (template, serde_json::from_value(service.clone()).unwrap_or_default(), service.to_string())
        })
}

/// Whether `value` mentions a function's logical ID (or its `provisioned`
/// alias) anywhere.
fn mentions_function(value: &Value) -> bool {
    match value {
        Value::String(text) => ["LambdaFunction", "ProvConcLambdaAlias", "SnapStartLambdaAlias"]
            .iter()
            .any(|suffix| text.ends_with(suffix)),
        Value::Array(items) => items.iter().any(mentions_function),
        Value::Object(map) => map.values().any(mentions_function),
        _ => false,
    }
}

fn apply(template: &Value, plan: canaria_core::Plan) -> Value {
    let mut after = template.clone();
    assert!(plan.apply_to(&mut after).iter().all(|d| !d.is_error()));
    after
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The N-API entry point reads only part of the template (`input.rs`);
    /// its plan must be the one the whole template gives.
    #[test]
    fn the_plugin_entry_plans_as_on_the_whole_template((template, service, service_text) in case()) {
        let full = canary::plan(&template, &service);
        let text = serde_json::to_string(&template).unwrap_or_default();
        let entry: Value = canaria_core::canary_pass(&text, &service_text)
            .ok()
            .and_then(|out| serde_json::from_str(&out).ok())
            .unwrap_or_default();
        prop_assert_eq!(&entry["resources"], &Value::Object(full.resources.clone()));
        let removed = entry.get("removed").cloned().unwrap_or_else(|| json!([]));
        prop_assert_eq!(removed, json!(full.removed));
        let codes = |diagnostics: &Value| -> Vec<Value> {
            diagnostics.as_array().into_iter().flatten().map(|d| d["code"].clone()).collect()
        };
        let full_codes = codes(&serde_json::to_value(&full.diagnostics).unwrap_or_default());
        prop_assert_eq!(codes(&entry["diagnostics"]), full_codes);
    }

    #[test]
    fn nothing_canaria_does_not_own_or_rewire_changes((template, service, _) in case()) {
        let plan = canary::plan(&template, &service);
        prop_assume!(!plan.has_errors());
        let owned: Vec<String> = plan.resources.keys().cloned().collect();
        let removed = plan.removed.clone();
        let after = apply(&template, plan);
        let before = template["Resources"].as_object().cloned().unwrap_or_default();
        let now = after["Resources"].as_object().cloned().unwrap_or_default();
        for (id, resource) in &before {
            let kept = now.get(id);
            if removed.contains(id) {
                // The Framework's alias, folded into the canary alias.
                prop_assert!(kept.is_none() && id.starts_with("F0") && id.ends_with("LambdaAlias"), "{} removed", id);
                continue;
            }
            prop_assert!(kept.is_some(), "{} was lost", id);
            if owned.contains(id) {
                // Rewired: the same resource, pointed at an alias instead.
                prop_assert_eq!(&kept.and_then(|r| r.get("Type")), &resource.get("Type"));
                prop_assert!(mentions_function(resource), "{} was rewritten but invokes no function", id);
            } else {
                prop_assert_eq!(kept, Some(resource), "{} changed", id);
            }
        }
        prop_assert_eq!(&after["Outputs"], &template["Outputs"]);
    }

    #[test]
    fn the_canary_pass_over_its_own_output_changes_nothing((template, service, _) in case()) {
        let plan = canary::plan(&template, &service);
        prop_assume!(!plan.has_errors());
        let once = apply(&template, plan);
        let twice = apply(&once, canary::plan(&once, &service));
        prop_assert_eq!(serde_json::to_string(&twice).ok(), serde_json::to_string(&once).ok());
    }

    #[test]
    fn the_alerts_pass_keeps_every_resource((template, service, _) in case()) {
        let plan = alerts::plan(&template, &service);
        prop_assume!(!plan.has_errors());
        let after = apply(&template, plan);
        for (id, resource) in template["Resources"].as_object().into_iter().flatten() {
            prop_assert_eq!(after["Resources"].get(id), Some(resource), "{} changed", id);
        }
        prop_assert_eq!(&after["Outputs"], &template["Outputs"]);
    }
}
