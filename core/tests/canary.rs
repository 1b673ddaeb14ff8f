//! The canary pass on small hand-built templates: each matcher, each rewrite,
//! the settings merge, the stage gate and the diagnostics.

#![allow(clippy::expect_used, reason = "a test fails loudly on malformed fixtures")]

use canaria_core::{Service, Severity, canary};
use serde_json::{Value, json};

/// A template with a function (and its version) per key.
fn template_with(functions: &[&str], extra: Value) -> Value {
    let mut resources = serde_json::Map::new();
    resources.insert(
        "IamRoleLambdaExecution".into(),
        json!({"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p",
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}]}}]}}),
    );
    for name in functions {
        let id = canaria_core::naming::lambda_logical_id(name);
        resources.insert(id.clone(), json!({"Type": "AWS::Lambda::Function", "Properties": {}}));
        resources.insert(
            format!("{}Version{}", id.trim_end_matches("Function"), "Sha"),
            json!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
        );
    }
    if let Value::Object(extra) = extra {
        resources.extend(extra);
    }
    json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources})
}

fn service(custom: Value, functions: Value) -> Service {
    serde_json::from_value(json!({"stackName": "svc-dev", "stage": "dev", "custom": custom, "functions": functions}))
        .expect("valid service input")
}

fn ids(plan: &canaria_core::Plan) -> Vec<&str> {
    plan.resources.keys().map(String::as_str).collect()
}

fn alarm() -> Value {
    json!({"Type": "AWS::CloudWatch::Alarm", "Properties": {}})
}

fn getatt(id: &str) -> Value {
    json!({"Fn::GetAtt": [id, "Arn"]})
}

#[test]
fn adds_application_role_group_and_alias_in_the_original_order() {
    let template = template_with(&["hello", "other"], json!({}));
    let svc = service(
        json!({}),
        json!({
            "hello": {"deploymentSettings": {"type": "Linear10PercentEvery1Minute", "alias": "Live"}},
            "other": {}
        }),
    );
    let plan = canary::plan(&template, &svc);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        ids(&plan),
        [
            "SvcdevDeploymentApplication",
            "CodeDeployServiceRole",
            "HelloLambdaFunctionDeploymentGroup",
            "HelloLambdaFunctionAliasLive"
        ]
    );
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"],
        json!({"Type": "AWS::CodeDeploy::DeploymentGroup", "Properties": {
            "ApplicationName": {"Ref": "SvcdevDeploymentApplication"},
            "AutoRollbackConfiguration": {"Enabled": true,
                "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"]},
            "DeploymentGroupName": "svc-dev-HelloLambdaFunctionDeploymentGroup",
            "DeploymentConfigName": {"Fn::Sub": ["CodeDeployDefault.Lambda${ConfigName}", {"ConfigName": "Linear10PercentEvery1Minute"}]},
            "DeploymentStyle": {"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"},
            "ServiceRoleArn": {"Fn::GetAtt": ["CodeDeployServiceRole", "Arn"]}
        }})
    );
    assert_eq!(
        plan.resources["HelloLambdaFunctionAliasLive"],
        json!({"Type": "AWS::Lambda::Alias",
            "Properties": {"FunctionVersion": {"Fn::GetAtt": ["HelloLambdaVersionSha", "Version"]},
                "FunctionName": {"Ref": "HelloLambdaFunction"}, "Name": "Live"},
            "UpdatePolicy": {"CodeDeployLambdaAliasUpdate": {
                "ApplicationName": {"Ref": "SvcdevDeploymentApplication"},
                "DeploymentGroupName": {"Ref": "HelloLambdaFunctionDeploymentGroup"}}}})
    );
}

#[test]
fn hooks_are_referenced_and_granted_the_lifecycle_status_call() {
    let template = template_with(&["hello", "pre-hook", "post_hook"], json!({}));
    let svc = service(
        json!({}),
        json!({
            "hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "preTrafficHook": "pre-hook", "postTrafficHook": "post_hook"}},
            "pre-hook": {}, "post_hook": {}
        }),
    );
    let plan = canary::plan(&template, &svc);
    let update = &plan.resources["HelloLambdaFunctionAliasLive"]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"];
    let keys: Vec<&String> = update.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["ApplicationName", "AfterAllowTrafficHook", "BeforeAllowTrafficHook", "DeploymentGroupName"]);
    assert_eq!(update["BeforeAllowTrafficHook"], json!({"Ref": "PreDashhookLambdaFunction"}));
    assert_eq!(update["AfterAllowTrafficHook"], json!({"Ref": "PostUnderscorehookLambdaFunction"}));

    let statements =
        &plan.resources["IamRoleLambdaExecution"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(statements.as_array().map(Vec::len), Some(2), "the grant is appended after the existing statement");
    assert_eq!(
        statements[1],
        json!({
            "Action": ["codedeploy:PutLifecycleEventHookExecutionStatus"], "Effect": "Allow",
            "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${SvcdevDeploymentApplication}/svc-dev-HelloLambdaFunctionDeploymentGroup"}]
        })
    );
}

#[test]
fn no_hooks_leaves_the_execution_role_alone() {
    let template = template_with(&["hello"], json!({}));
    let svc = service(json!({}), json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}));
    assert!(!canary::plan(&template, &svc).resources.contains_key("IamRoleLambdaExecution"));
}

#[test]
fn global_settings_merge_shallowly_and_null_takes_the_globals() {
    let template = template_with(&["a", "b", "c"], json!({"GlobalAlarm": alarm(), "Own": alarm()}));
    let svc = service(
        json!({"deploymentSettings": {"type": "Canary10Percent5Minutes", "alias": "Live", "alarms": ["GlobalAlarm"]}}),
        json!({"a": {"deploymentSettings": null}, "b": {"deploymentSettings": {"alias": "Blue", "alarms": ["Own"]}}, "c": {}}),
    );
    let plan = canary::plan(&template, &svc);
    assert!(plan.resources.contains_key("ALambdaFunctionAliasLive"));
    assert!(plan.resources.contains_key("BLambdaFunctionAliasBlue"));
    assert!(!plan.resources.contains_key("CLambdaFunctionDeploymentGroup"), "c has no deploymentSettings key");
    let alarms = |id: &str| plan.resources[id]["Properties"]["AlarmConfiguration"]["Alarms"].clone();
    assert_eq!(alarms("ALambdaFunctionDeploymentGroup"), json!([{"Name": {"Ref": "GlobalAlarm"}}]));
    assert_eq!(
        alarms("BLambdaFunctionDeploymentGroup"),
        json!([{"Name": {"Ref": "Own"}}]),
        "lists replace, not concatenate"
    );
}

#[test]
fn alarms_by_logical_id_or_literal_name() {
    let template = template_with(&["hello"], json!({"HelloErrorsAlarm": alarm()}));
    let svc = service(
        json!({}),
        json!({"hello": {"deploymentSettings": {
        "type": "AllAtOnce", "alias": "Live", "alarms": ["HelloErrorsAlarm", {"name": "external-alarm"}]}}}),
    );
    let plan = canary::plan(&template, &svc);
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["AlarmConfiguration"],
        json!({"Alarms": [{"Name": {"Ref": "HelloErrorsAlarm"}}, {"Name": "external-alarm"}], "Enabled": true})
    );
}

#[test]
fn global_code_deploy_role_replaces_the_generated_role() {
    let template = template_with(&["hello"], json!({}));
    let svc = service(
        json!({"deploymentSettings": {"codeDeployRole": "arn:aws:iam::1:role/cd"}}),
        json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}),
    );
    let plan = canary::plan(&template, &svc);
    assert!(!plan.resources.contains_key("CodeDeployServiceRole"));
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["ServiceRoleArn"],
        json!("arn:aws:iam::1:role/cd")
    );
}

#[test]
fn triggers_and_permissions_boundary_shape_the_role() {
    let template = template_with(&["hello"], json!({}));
    let triggers =
        json!([{"TriggerName": "t", "TriggerEvents": ["DeploymentFailure"], "TriggerTargetArn": "arn:aws:sns:x"}]);
    let svc = service(
        json!({"deploymentSettings": {"codeDeployRolePermissionsBoundary": "arn:aws:iam::1:policy/b"}}),
        json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "triggerConfigurations": triggers}}}),
    );
    let plan = canary::plan(&template, &svc);
    let role = &plan.resources["CodeDeployServiceRole"]["Properties"];
    assert_eq!(role["ManagedPolicyArns"][2], json!("arn:aws:iam::aws:policy/AmazonSNSFullAccess"));
    assert_eq!(role["PermissionsBoundary"], json!("arn:aws:iam::1:policy/b"));
    assert_eq!(plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["TriggerConfigurations"], triggers);
}

#[test]
fn stages_gate_the_whole_pass() {
    let template = template_with(&["hello"], json!({}));
    let functions = json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}});
    let off = service(json!({"deploymentSettings": {"stages": ["prod"]}}), functions.clone());
    assert!(canary::plan(&template, &off).resources.is_empty());
    let on = service(json!({"deploymentSettings": {"stages": ["prod", "dev"]}}), functions);
    assert!(!canary::plan(&template, &on).resources.is_empty());
}

#[test]
fn deployment_group_names_are_cut_at_100_characters() {
    let template = template_with(&["hello"], json!({}));
    let mut svc = service(json!({}), json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}));
    svc.stack_name = "x".repeat(90);
    let plan = canary::plan(&template, &svc);
    let name = plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["DeploymentGroupName"].clone();
    assert_eq!(name, json!(format!("{}-HelloLamb", "x".repeat(90))));
}

#[test]
fn permissions_move_in_both_forms_and_others_stay() {
    let template = template_with(
        &["hello", "other"],
        json!({
            "ByGetAtt": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": getatt("HelloLambdaFunction"), "Action": "lambda:InvokeFunction"}},
            "ByRef": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "HelloLambdaFunction"}}},
            "Other": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": getatt("OtherLambdaFunction")}}
        }),
    );
    let svc = service(
        json!({}),
        json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}, "other": {}}),
    );
    let plan = canary::plan(&template, &svc);
    assert_eq!(
        plan.resources["ByGetAtt"]["Properties"],
        json!({"FunctionName": {"Ref": "HelloLambdaFunctionAliasLive"}, "Action": "lambda:InvokeFunction"}),
        "the key keeps its position"
    );
    assert_eq!(plan.resources["ByRef"]["Properties"]["FunctionName"], json!({"Ref": "HelloLambdaFunctionAliasLive"}));
    assert!(!plan.resources.contains_key("Other"));
}

#[test]
fn every_event_source_type_is_rewired() {
    let f = "HelloLambdaFunction";
    let template = template_with(
        &["hello"],
        json!({
            "Method": {"Type": "AWS::ApiGateway::Method", "Properties": {"Integration": {"Type": "AWS_PROXY",
                "Uri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Fn::GetAtt": [f, "Arn"]}]]}}}},
            "V2Integration": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"IntegrationUri": getatt(f)}},
            "V2Authorizer": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"AuthorizerUri": {"Fn::Join": ["", [getatt(f)]]}}},
            "Mapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": getatt(f)}},
            "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda", "Endpoint": getatt(f)}},
            "Filter": {"Type": "AWS::Logs::SubscriptionFilter", "Properties": {"DestinationArn": getatt(f)}},
            "Rule": {"Type": "AWS::IoT::TopicRule", "Properties": {"TopicRulePayload": {"Actions": [{"Lambda": {"FunctionArn": getatt(f)}}]}}},
            "Source": {"Type": "AWS::AppSync::DataSource", "Properties": {"Type": "AWS_LAMBDA", "LambdaConfig": {"LambdaFunctionArn": getatt(f)}}},
            "Events": {"Type": "AWS::Events::Rule", "Properties": {"Targets": [{"Arn": getatt(f), "Id": "t"}]}}
        }),
    );
    let svc = service(json!({}), json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}));
    let plan = canary::plan(&template, &svc);
    let alias = json!({"Ref": "HelloLambdaFunctionAliasLive"});
    let at = |id: &str, pointer: &str| plan.resources[id].pointer(pointer).cloned();
    assert_eq!(
        at("Method", "/Properties/Integration/Uri"),
        Some(json!({"Fn::Join": ["", [
        "arn:aws:apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", alias, "/invocations"]]}))
    );
    let v2 = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
        ":lambda:path/2015-03-31/functions/", alias, "/invocations"]]});
    assert_eq!(at("V2Integration", "/Properties/IntegrationUri"), Some(v2.clone()));
    assert_eq!(at("V2Authorizer", "/Properties/AuthorizerUri"), Some(v2));
    assert_eq!(at("Mapping", "/Properties/FunctionName"), Some(alias.clone()));
    assert_eq!(at("Subscription", "/Properties/Endpoint"), Some(alias.clone()));
    assert_eq!(at("Filter", "/Properties/DestinationArn"), Some(alias.clone()));
    assert_eq!(at("Rule", "/Properties/TopicRulePayload/Actions/0/Lambda/FunctionArn"), Some(alias.clone()));
    assert_eq!(at("Source", "/Properties/LambdaConfig"), Some(json!({"LambdaFunctionArn": alias})));
    assert_eq!(at("Events", "/Properties/Targets/0"), Some(json!({"Arn": alias, "Id": "t"})));
}

#[test]
fn shared_topic_and_bucket_keep_every_function_on_its_alias() {
    let template = template_with(
        &["one", "two"],
        json!({
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Subscription": [
                {"Endpoint": getatt("OneLambdaFunction"), "Protocol": "lambda"},
                {"Endpoint": getatt("TwoLambdaFunction"), "Protocol": "lambda"},
                {"Endpoint": "ops@example.com", "Protocol": "email"}]}},
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {"LambdaConfigurations": [
                {"Event": "s3:ObjectCreated:*", "Function": getatt("OneLambdaFunction")},
                {"Event": "s3:ObjectRemoved:*", "Function": getatt("OneLambdaFunction")},
                {"Event": "s3:ObjectCreated:*", "Function": getatt("TwoLambdaFunction")}]}}}
        }),
    );
    let settings = json!({"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}});
    let svc = service(json!({}), json!({"one": settings, "two": settings}));
    let plan = canary::plan(&template, &svc);
    assert_eq!(
        plan.resources["Topic"]["Properties"]["Subscription"],
        json!([
        {"Endpoint": "ops@example.com", "Protocol": "email"},
        {"Endpoint": {"Ref": "OneLambdaFunctionAliasLive"}, "Protocol": "lambda"},
        {"Endpoint": {"Ref": "TwoLambdaFunctionAliasLive"}, "Protocol": "lambda"}])
    );
    let functions: Vec<Value> =
        plan.resources["Bucket"]["Properties"]["NotificationConfiguration"]["LambdaConfigurations"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["Function"].clone())
            .collect();
    assert_eq!(
        functions,
        [
            json!({"Ref": "OneLambdaFunctionAliasLive"}),
            json!({"Ref": "OneLambdaFunctionAliasLive"}),
            json!({"Ref": "TwoLambdaFunctionAliasLive"})
        ]
    );
}

#[test]
fn resources_without_the_expected_shape_do_not_crash_the_pass() {
    let template = template_with(
        &["hello"],
        json!({
            "JwtAuthorizer": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"AuthorizerType": "JWT"}},
            "MockMethod": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET"}},
            "NoProps": {"Type": "AWS::SNS::Topic"},
            "Weird": {"Type": "AWS::Events::Rule", "Properties": {"Targets": "not-a-list"}}
        }),
    );
    let svc = service(json!({}), json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}));
    let plan = canary::plan(&template, &svc);
    assert!(plan.diagnostics.is_empty());
    for untouched in ["JwtAuthorizer", "MockMethod", "NoProps", "Weird"] {
        assert!(!plan.resources.contains_key(untouched), "{untouched}");
    }
}

#[test]
fn a_thousand_functions_each_get_their_own_permission() {
    // 1000 functions, each with a permission: the plan must attribute each
    // permission to its own function only.
    let names: Vec<String> = (0..1000).map(|i| format!("f{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut extra = serde_json::Map::new();
    for name in &names {
        let id = canaria_core::naming::lambda_logical_id(name);
        extra.insert(
            format!("{id}Permission"),
            json!({"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": getatt(&id)}}),
        );
    }
    let template = template_with(&refs, Value::Object(extra));
    let functions: serde_json::Map<String, Value> = names
        .iter()
        .map(|n| (n.clone(), json!({"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}})))
        .collect();
    let plan = canary::plan(&template, &service(json!({}), Value::Object(functions)));
    assert_eq!(
        plan.resources["F999LambdaFunctionPermission"]["Properties"]["FunctionName"],
        json!({"Ref": "F999LambdaFunctionAliasLive"})
    );
    assert_eq!(plan.resources.len(), 2 + 1000 * 3);
}

#[test]
fn mistakes_are_diagnostics_and_nothing_is_planned() {
    let template = template_with(&["hello", "bye"], json!({}));
    let svc = service(
        json!({}),
        json!({
            "hello": {"deploymentSettings": {"type": "AllAtOnce", "alarms": "HelloErrors"}},
            "bye": {"deploymentSettings": "Live"}
        }),
    );
    let plan = canary::plan(&template, &svc);
    assert!(plan.resources.is_empty());
    let found: Vec<(&str, &str)> = plan.diagnostics.iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            ("canary/alarms-not-list", "functions.hello.deploymentSettings.alarms"),
            ("canary/alias-missing", "functions.hello.deploymentSettings.alias"),
            ("canary/settings-not-object", "functions.bye.deploymentSettings"),
        ]
    );
    assert!(plan.diagnostics.iter().all(|d| d.severity == Severity::Error && d.help.is_some()));
}

#[test]
fn a_function_without_a_version_is_an_error() {
    let mut template = template_with(&["hello"], json!({}));
    if let Some(resources) = template["Resources"].as_object_mut() {
        resources.retain(|_, r| r["Type"] != "AWS::Lambda::Version");
    }
    let svc = service(json!({}), json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}));
    let plan = canary::plan(&template, &svc);
    assert!(plan.resources.is_empty());
    assert_eq!(plan.diagnostics[0].code, "canary/no-function-version");
}

#[test]
fn applying_a_plan_keeps_positions_and_appends_new_resources() {
    let mut template = template_with(
        &["hello"],
        json!({
            "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": getatt("HelloLambdaFunction")}},
            "Last": {"Type": "AWS::SNS::Topic", "Properties": {}}
        }),
    );
    let svc = service(json!({}), json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}));
    let diagnostics = canary::plan(&template, &svc).apply_to(&mut template);
    assert!(diagnostics.is_empty());
    let order: Vec<&String> = template["Resources"].as_object().expect("object").keys().collect();
    assert_eq!(
        order,
        [
            "IamRoleLambdaExecution",
            "HelloLambdaFunction",
            "HelloLambdaVersionSha",
            "Perm",
            "Last",
            "SvcdevDeploymentApplication",
            "CodeDeployServiceRole",
            "HelloLambdaFunctionDeploymentGroup",
            "HelloLambdaFunctionAliasLive",
        ]
    );
}

#[test]
fn alarms_by_logical_id_must_exist_in_the_template() {
    let template = template_with(&["hello"], json!({"HelloFunctionErrorsAlarm": alarm()}));
    let settings = json!({"hello": {"deploymentSettings": {
        "type": "AllAtOnce", "alias": "Live", "alarms": ["HelloFunctionErorsAlarm", {"name": "outside-the-stack"}]}}});
    let plan = canary::plan(&template, &service(json!({}), settings.clone()));
    assert!(plan.resources.is_empty());
    assert_eq!(plan.diagnostics.len(), 1, "literal names are not checked");
    let d = &plan.diagnostics[0];
    assert_eq!((d.code, d.path.as_str()), ("canary/unknown-alarm", "functions.hello.deploymentSettings.alarms[0]"));
    assert!(d.message.contains("did you mean `HelloFunctionErrorsAlarm`?"), "{}", d.message);

    // canary #47: alerts skip the stage, so the alarm is missing here.
    let skipped = service(json!({"alerts": {"stages": ["prod"]}}), settings);
    let plan = canary::plan(&template_with(&["hello"], json!({})), &skipped);
    let help = plan.diagnostics[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("custom.alerts.stages leaves out stage dev"), "{help}");
}

#[test]
fn deployment_group_names_that_coincide_once_cut_are_refused() {
    let template = template_with(&["process-incoming-orders-a", "process-incoming-orders-b"], json!({}));
    let settings = json!({"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}});
    let mut svc =
        service(json!({}), json!({"process-incoming-orders-a": settings, "process-incoming-orders-b": settings}));
    svc.stack_name = "s".repeat(70);
    let plan = canary::plan(&template, &svc);
    assert!(plan.resources.is_empty());
    assert_eq!(plan.diagnostics[0].code, "canary/deployment-group-name-collision");
    assert_eq!(plan.diagnostics[0].path, "functions.process-incoming-orders-b.deploymentSettings");
}

#[test]
fn every_source_type_moves_to_the_alias() {
    let f = "HelloLambdaFunction";
    let alias = json!({"Ref": "HelloLambdaFunctionAliasLive"});
    let extra = json!({
        "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Targets": [{"Id": getatt(f)}]}},
        "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"LambdaConfig": {
            "PreSignUp": getatt(f), "CustomSMSSender": {"LambdaArn": getatt(f), "LambdaVersion": "V1_0"},
            "PostConfirmation": getatt("OtherLambdaFunction")}}},
        "Url": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE", "TargetFunctionArn": getatt(f)}},
        "Auth": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {"AuthorizerUri": {"Fn::Join": ["", [
            "arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
            ":lambda:path/2015-03-31/functions/", getatt(f), "/invocations"]]}}},
        "Fleet": {"Type": "AWS::IoT::ProvisioningTemplate", "Properties": {"PreProvisioningHook": {"TargetArn": getatt(f)}}},
        "Schedule": {"Type": "AWS::Scheduler::Schedule", "Properties": {"Target": {"Arn": getatt(f), "RoleArn": "r"}}},
        "Async": {"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {"FunctionName": {"Ref": f}, "Qualifier": "$LATEST"}},
        "OtherAsync": {"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {"FunctionName": {"Ref": "OtherLambdaFunction"}, "Qualifier": "$LATEST"}}
    });
    let template = template_with(&["hello", "other"], extra);
    let svc = service(
        json!({}),
        json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}, "other": {}}),
    );
    let plan = canary::plan(&template, &svc);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let r = &plan.resources;
    assert_eq!(r["Tg"]["Properties"]["Targets"][0]["Id"], alias);
    assert_eq!(r["Pool"]["Properties"]["LambdaConfig"]["PreSignUp"], alias);
    assert_eq!(r["Pool"]["Properties"]["LambdaConfig"]["CustomSMSSender"]["LambdaArn"], alias);
    assert_eq!(r["Pool"]["Properties"]["LambdaConfig"]["PostConfirmation"], getatt("OtherLambdaFunction"));
    assert_eq!(r["Url"]["Properties"]["TargetFunctionArn"], alias);
    assert_eq!(r["Auth"]["Properties"]["AuthorizerUri"]["Fn::Join"][1][5], alias);
    assert_eq!(r["Fleet"]["Properties"]["PreProvisioningHook"]["TargetArn"], alias);
    assert_eq!(r["Schedule"]["Properties"]["Target"]["Arn"], alias);
    assert_eq!(r["Async"]["Properties"]["Qualifier"], json!("Live"));
    assert_eq!(r["Async"]["DependsOn"], json!("HelloLambdaFunctionAliasLive"));
    assert!(!r.contains_key("OtherAsync"), "a function without settings keeps $LATEST");
}

#[test]
fn sources_that_cannot_move_are_warnings() {
    let extra = json!({
        "HelloCustomS31": {"Type": "Custom::S3", "Properties": {"FunctionName": "svc-dev-hello", "BucketName": "b"}},
        "OtherCustomS31": {"Type": "Custom::S3", "Properties": {"FunctionName": "svc-dev-other", "BucketName": "b"}},
        "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "DefaultCacheBehavior": {"LambdaFunctionAssociations": [
                {"EventType": "viewer-request", "LambdaFunctionARN": {"Ref": "HelloLambdaVersionSha"}}]},
            "CacheBehaviors": [{"LambdaFunctionAssociations": [
                {"EventType": "origin-request", "LambdaFunctionARN": {"Ref": "HelloLambdaVersionSha"}}]}]}}}
    });
    let template = template_with(&["hello", "other"], extra.clone());
    let svc = service(
        json!({}),
        json!({"hello": {"name": "svc-dev-hello", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}},
               "other": {"name": "svc-dev-other"}}),
    );
    let plan = canary::plan(&template, &svc);
    let found: Vec<(&str, Severity, &str)> =
        plan.diagnostics.iter().map(|d| (d.code, d.severity, d.message.as_str())).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(code, severity, _)| *code == "canary/source-bypasses-canary" && *severity == Severity::Warning)
    );
    assert!(found[0].2.starts_with("`HelloCustomS31` (Custom::S3)"), "{}", found[0].2);
    assert!(found[1].2.starts_with("`Cdn` (AWS::CloudFront::Distribution)"), "{}", found[1].2);
    for id in ["HelloCustomS31", "Cdn"] {
        assert!(!plan.resources.contains_key(id), "{id} is left as it is");
    }
}

#[test]
fn provisioned_concurrency_moves_to_the_canary_alias() {
    let f = "HelloLambdaFunction";
    let provisioned_arn = json!({"Fn::Join": [":", [getatt(f), "provisioned"]]});
    let extra = json!({
        "HelloProvConcLambdaAlias": {"Type": "AWS::Lambda::Alias", "Properties": {
            "FunctionName": {"Ref": f}, "FunctionVersion": {"Fn::GetAtt": ["HelloLambdaVersionSha", "Version"]},
            "Name": "provisioned", "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 3}},
            "DependsOn": f},
        "Perm": {"Type": "AWS::Lambda::Permission", "DependsOn": "HelloProvConcLambdaAlias",
            "Properties": {"FunctionName": provisioned_arn, "Action": "lambda:InvokeFunction"}},
        "Topic": {"Type": "AWS::SNS::Topic", "DependsOn": ["X", "HelloProvConcLambdaAlias"],
            "Properties": {"Subscription": [{"Endpoint": provisioned_arn, "Protocol": "lambda"}]}},
        "Async": {"Type": "AWS::Lambda::EventInvokeConfig", "DependsOn": "HelloProvConcLambdaAlias",
            "Properties": {"FunctionName": {"Ref": f}, "Qualifier": "provisioned"}},
        "Unrelated": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "HelloProvConcLambdaAliasIsJustText"}},
        "UserRef": {"Type": "Custom::Thing", "Properties": {"Target": {"Fn::GetAtt": ["HelloProvConcLambdaAlias", "AliasArn"]}}}
    });
    let template = template_with(&["hello"], extra);
    let svc = service(json!({}), json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}));
    let plan = canary::plan(&template, &svc);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(plan.removed, ["HelloProvConcLambdaAlias"]);
    let r = &plan.resources;
    let alias = json!({"Ref": "HelloLambdaFunctionAliasLive"});
    assert_eq!(
        r["HelloLambdaFunctionAliasLive"]["Properties"]["ProvisionedConcurrencyConfig"],
        json!({"ProvisionedConcurrentExecutions": 3})
    );
    assert_eq!(r["Perm"]["Properties"]["FunctionName"], alias);
    assert_eq!(r["Perm"]["DependsOn"], json!("HelloLambdaFunctionAliasLive"));
    assert_eq!(r["Topic"]["Properties"]["Subscription"], json!([{"Endpoint": alias, "Protocol": "lambda"}]));
    assert_eq!(r["Topic"]["DependsOn"], json!(["X", "HelloLambdaFunctionAliasLive"]));
    assert_eq!(r["Async"]["Properties"]["Qualifier"], json!("Live"));
    assert!(!r.contains_key("Unrelated"));
    assert_eq!(
        r["UserRef"]["Properties"]["Target"],
        json!({"Fn::GetAtt": ["HelloLambdaFunctionAliasLive", "AliasArn"]}),
        "nothing is left naming the removed alias"
    );

    let mut applied = template.clone();
    let _ = plan.apply_to(&mut applied);
    assert!(applied["Resources"].get("HelloProvConcLambdaAlias").is_none(), "the provisioned alias is gone");
}

/// `snapStart: true`: the Framework's `snapstart` alias takes the events, and
/// it points at the new version at once, so it would bypass the canary. It is
/// folded into the canary alias as the `provisioned` alias is, through the
/// plugin entry point too (which reads such a template in full).
#[test]
fn the_snapstart_alias_folds_into_the_canary_alias() {
    let f = "HelloLambdaFunction";
    let snapstart_arn = json!({"Fn::Join": [":", [getatt(f), "snapstart"]]});
    let extra = json!({
        "HelloSnapStartLambdaAlias": {"Type": "AWS::Lambda::Alias", "Properties": {
            "FunctionName": {"Ref": f}, "FunctionVersion": {"Fn::GetAtt": ["HelloLambdaVersionSha", "Version"]},
            "Name": "snapstart"}, "DependsOn": f},
        "Perm": {"Type": "AWS::Lambda::Permission", "DependsOn": "HelloSnapStartLambdaAlias",
            "Properties": {"FunctionName": snapstart_arn, "Action": "lambda:InvokeFunction"}},
        "Rule": {"Type": "AWS::Events::Rule", "DependsOn": "HelloSnapStartLambdaAlias",
            "Properties": {"Targets": [{"Arn": snapstart_arn, "Id": "t"}]}},
        "Async": {"Type": "AWS::Lambda::EventInvokeConfig", "DependsOn": "HelloSnapStartLambdaAlias",
            "Properties": {"FunctionName": {"Ref": f}, "Qualifier": "snapstart"}},
        "Provisioned": {"Type": "Custom::Thing", "Properties": {"Arn": {"Fn::Join": [":", [getatt(f), "provisioned"]]}}}
    });
    let template = template_with(&["hello"], extra);
    let functions = json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}});
    let svc = service(json!({}), functions.clone());
    let plan = canary::plan(&template, &svc);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(plan.removed, ["HelloSnapStartLambdaAlias"]);
    let r = &plan.resources;
    let alias = json!({"Ref": "HelloLambdaFunctionAliasLive"});
    assert!(r["HelloLambdaFunctionAliasLive"]["Properties"].get("ProvisionedConcurrencyConfig").is_none());
    assert_eq!(r["Perm"]["Properties"]["FunctionName"], alias);
    assert_eq!(r["Perm"]["DependsOn"], json!("HelloLambdaFunctionAliasLive"));
    assert_eq!(r["Rule"]["Properties"]["Targets"], json!([{"Arn": alias, "Id": "t"}]));
    assert_eq!(r["Async"]["Properties"]["Qualifier"], json!("Live"));
    assert!(!r.contains_key("Provisioned"), "an ARN of another alias name is not this function's alias");

    // The plugin entry point plans the same.
    let text = serde_json::to_string(&template).unwrap_or_default();
    let service_text = json!({"stackName": "svc-dev", "stage": "dev", "functions": functions}).to_string();
    let entry: Value = canaria_core::canary_pass(&text, &service_text)
        .ok()
        .and_then(|out| serde_json::from_str(&out).ok())
        .unwrap_or_default();
    assert_eq!(entry["resources"], Value::Object(plan.resources.clone()));
    assert_eq!(entry["removed"], json!(["HelloSnapStartLambdaAlias"]));
}

#[test]
fn custom_shifts_get_a_deployment_config() {
    let template = template_with(&["a", "b", "c", "d"], json!({}));
    let svc = service(
        json!({}),
        json!({
            "a": {"deploymentSettings": {"type": "Canary25Percent20Minutes", "alias": "Live"}},
            "b": {"deploymentSettings": {"type": {"canaryPercentage": 25, "canaryInterval": 20}, "alias": "Live"}},
            "c": {"deploymentSettings": {"type": {"linearPercentage": 10, "linearInterval": 1}, "alias": "Live"}},
            "d": {"deploymentSettings": {"type": "Linear5PercentEvery1Minute", "alias": "Live"}}
        }),
    );
    let plan = canary::plan(&template, &svc);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let configs: Vec<&str> = ids(&plan).into_iter().filter(|id| id.ends_with("DeploymentConfig")).collect();
    assert_eq!(configs, ["Canary25Percent20MinutesDeploymentConfig", "Linear5PercentEvery1MinuteDeploymentConfig"]);
    assert_eq!(
        plan.resources["Linear5PercentEvery1MinuteDeploymentConfig"],
        json!({"Type": "AWS::CodeDeploy::DeploymentConfig", "Properties": {"ComputePlatform": "Lambda",
            "TrafficRoutingConfig": {"Type": "TimeBasedLinear", "TimeBasedLinear": {"LinearPercentage": 5, "LinearInterval": 1}}}})
    );
    let config_name = |f: &str| {
        plan.resources[format!("{f}LambdaFunctionDeploymentGroup").as_str()]["Properties"]["DeploymentConfigName"]
            .clone()
    };
    assert_eq!(config_name("A"), json!({"Ref": "Canary25Percent20MinutesDeploymentConfig"}));
    assert_eq!(config_name("B"), json!({"Ref": "Canary25Percent20MinutesDeploymentConfig"}));
    // An object equal to a predefined shift uses the predefined configuration.
    assert_eq!(
        config_name("C"),
        json!({"Fn::Sub": ["CodeDeployDefault.Lambda${ConfigName}", {"ConfigName": "Linear10PercentEvery1Minute"}]})
    );
}

#[test]
fn out_of_range_shifts_are_refused() {
    let template = template_with(&["a", "b", "c"], json!({}));
    let svc = service(
        json!({}),
        json!({
            "a": {"deploymentSettings": {"type": "Linear100PercentEvery1Minute", "alias": "Live"}},
            "b": {"deploymentSettings": {"type": {"canaryPercentage": 5}, "alias": "Live"}},
            "c": {"deploymentSettings": {"type": "Canary10Percent5Minute", "alias": "Live"}}
        }),
    );
    let plan = canary::plan(&template, &svc);
    let codes: Vec<&str> = plan.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["canary/invalid-deployment-config", "canary/invalid-deployment-config", "canary/unknown-deployment-type"]
    );
    assert!(plan.resources.is_empty());
}

#[test]
fn all_functions_applies_the_global_settings() {
    let template = template_with(&["api", "worker", "cron", "preHook"], json!({}));
    let functions = json!({"api": {}, "worker": {"deploymentSettings": {"alias": "Blue"}},
        "cron": {"deploymentSettings": false}, "preHook": {}});
    let global = json!({"type": "AllAtOnce", "alias": "Live", "preTrafficHook": "preHook"});
    let without = canary::plan(&template, &service(json!({"deploymentSettings": global}), functions.clone()));
    assert!(without.diagnostics.iter().any(|d| d.code == "canary/settings-not-object"), "false is still refused");

    let functions = json!({"api": {}, "worker": {"deploymentSettings": {"alias": "Blue"}},
        "cron": {"deploymentSettings": false}, "preHook": {}});
    let mut opted = global.clone();
    opted["allFunctions"] = json!(true);
    let plan = canary::plan(&template, &service(json!({"deploymentSettings": opted}), functions));
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let aliases: Vec<&str> = ids(&plan).into_iter().filter(|id| id.contains("Alias")).collect();
    assert_eq!(aliases, ["ApiLambdaFunctionAliasLive", "WorkerLambdaFunctionAliasBlue"]);

    let no_opt_in =
        canary::plan(&template, &service(json!({"deploymentSettings": global}), json!({"api": {}, "preHook": {}})));
    assert!(no_opt_in.resources.is_empty() && no_opt_in.diagnostics.is_empty(), "global settings alone select nothing");
}

#[test]
fn least_privilege_role_invokes_only_the_hooks() {
    let template = template_with(&["hello", "preHook"], json!({}));
    let functions = json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "preTrafficHook": "preHook"}}, "preHook": {}});
    let plan = canary::plan(
        &template,
        &service(json!({"deploymentSettings": {"codeDeployRoleLeastPrivilege": true}}), functions),
    );
    let role = &plan.resources["CodeDeployServiceRole"]["Properties"];
    assert_eq!(
        role["ManagedPolicyArns"],
        json!(["arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"])
    );
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"],
        json!([getatt("PreHookLambdaFunction")])
    );
}

#[test]
fn partitions_other_than_aws_are_written_as_the_pseudo_parameter() {
    let extra = json!({"Method": {"Type": "AWS::ApiGateway::Method", "Properties": {"Integration": {"Uri": {"Fn::Join": ["", [getatt("HelloLambdaFunction")]]}}}}});
    let template = template_with(&["hello"], extra);
    let functions = json!({"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}});
    for (region, pseudo) in [("us-east-1", false), ("eu-west-1", false), ("cn-north-1", true), ("us-gov-west-1", true)]
    {
        let svc: Service = serde_json::from_value(
            json!({"stackName": "svc-dev", "stage": "dev", "region": region, "functions": functions}),
        )
        .expect("valid service input");
        let plan = canary::plan(&template, &svc);
        let arn = &plan.resources["CodeDeployServiceRole"]["Properties"]["ManagedPolicyArns"][0];
        let uri = &plan.resources["Method"]["Properties"]["Integration"]["Uri"]["Fn::Join"][1];
        if pseudo {
            assert_eq!(
                arn,
                &json!({"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"})
            );
            assert_eq!(uri[1], json!({"Ref": "AWS::Partition"}), "{region}");
        } else {
            assert_eq!(arn, &json!("arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"));
            assert_eq!(uri[0], json!("arn:aws:apigateway:"), "{region}");
        }
    }
}
