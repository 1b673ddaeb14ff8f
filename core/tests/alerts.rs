//! The alerts pass on small services: every shape of alarm, topic, name
//! template and dashboard, and every mistake the original plugin crashed on.

#![allow(clippy::expect_used, reason = "a test fails loudly on malformed fixtures")]

use canaria_core::{Plan, Service, Severity, alerts};
use serde_json::{Value, json};

fn service(alerts: Value, functions: Value) -> Service {
    serde_json::from_value(json!({
        "service": "svc", "stackName": "svc-dev", "stage": "dev", "region": "eu-west-1",
        "custom": {"alerts": alerts}, "functions": functions
    }))
    .expect("valid service input")
}

fn plan(alerts: Value, functions: Value) -> Plan {
    alerts::plan(&json!({"Resources": {}}), &service(alerts, functions))
}

fn errors_definition() -> Value {
    json!({"namespace": "AWS/Lambda", "metric": "Errors", "threshold": 1, "statistic": "Sum", "period": 60,
        "evaluationPeriods": 1, "comparisonOperator": "GreaterThanThreshold"})
}

fn codes(plan: &Plan) -> Vec<(&str, &str)> {
    plan.diagnostics.iter().map(|d| (d.code, d.path.as_str())).collect()
}

#[test]
fn a_builtin_definition_compiles_to_the_canonical_alarm() {
    let plan = plan(json!({"alarms": ["functionErrors"]}), json!({"hello": {"name": "svc-dev-hello"}}));
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let alarm = serde_json::to_string(&plan.resources["HelloFunctionErrorsAlarm"]).expect("serialises");
    assert_eq!(
        alarm,
        r#"{"Type":"AWS::CloudWatch::Alarm","Properties":{"ActionsEnabled":true,"Namespace":"AWS/Lambda","MetricName":"Errors","Threshold":1,"Period":60,"EvaluationPeriods":1,"DatapointsToAlarm":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","OKActions":[],"AlarmActions":[],"InsufficientDataActions":[],"Dimensions":[{"Name":"FunctionName","Value":{"Ref":"HelloLambdaFunction"}}],"TreatMissingData":"missing","Statistic":"Sum"}}"#
    );
}

#[test]
fn topics_create_sns_topics_or_pass_arns_and_intrinsics_through() {
    let plan = plan(
        json!({
            "topics": {
                "ok": "svc-ok",
                "alarm": {"topic": "svc-alarm", "notifications": [{"protocol": "email", "endpoint": "ops@example.com"}]},
                "insufficientData": "arn:aws:sns:eu-west-1:123:insufficient",
                "critical": {"alarm": {"topic": {"Fn::ImportValue": "critical-topic"}}, "ok": "critical-ok"}
            },
            "definitions": {"functionErrors": {"alarmActions": ["critical"], "okActions": ["critical"]}},
            "alarms": ["functionErrors"]
        }),
        json!({"hello": {}}),
    );
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let ids: Vec<&str> = plan.resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["AwsAlertsOk", "AwsAlertsAlarm", "AwsAlertsCriticalOk", "HelloFunctionErrorsAlarm"]);
    assert_eq!(
        plan.resources["AwsAlertsAlarm"],
        json!({"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "svc-alarm",
            "Subscription": [{"Protocol": "email", "Endpoint": "ops@example.com"}]}})
    );
    let props = &plan.resources["HelloFunctionErrorsAlarm"]["Properties"];
    assert_eq!(props["OKActions"], json!([{"Ref": "AwsAlertsOk"}, {"Ref": "AwsAlertsCriticalOk"}]));
    assert_eq!(props["AlarmActions"], json!([{"Ref": "AwsAlertsAlarm"}, {"Fn::ImportValue": "critical-topic"}]));
    assert_eq!(props["InsufficientDataActions"], json!(["arn:aws:sns:eu-west-1:123:insufficient"]));
}

#[test]
fn inline_alarms_merge_deeply_over_their_definition() {
    let plan = plan(
        json!({"definitions": {"functionErrors": {"dimensions": [{"Name": "A", "Value": "a"}, {"Name": "B", "Value": "b"}]}}}),
        json!({"hello": {"alarms": [
            {"name": "functionErrors", "threshold": 5, "dimensions": [{"Name": "C", "Value": "c"}]},
            {"name": "custom", "namespace": "Ns", "metric": "M", "threshold": 1, "statistic": "p99", "period": 60,
             "evaluationPeriods": 2, "comparisonOperator": "GreaterThanThreshold", "treatMissingData": "notBreaching",
             "evaluateLowSampleCountPercentile": "ignore", "omitDefaultDimension": true, "description": "d"}
        ]}}),
    );
    let errors = &plan.resources["HelloFunctionErrorsAlarm"]["Properties"];
    assert_eq!(errors["Threshold"], json!(5));
    assert_eq!(
        errors["Dimensions"],
        json!([{"Name": "C", "Value": "c"}, {"Name": "B", "Value": "b"},
               {"Name": "FunctionName", "Value": {"Ref": "HelloLambdaFunction"}}]),
        "lists merge index by index, as lodash.merge does"
    );
    let custom = plan.resources["HelloCustomAlarm"]["Properties"].as_object().expect("object");
    let keys: Vec<&str> = custom.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Namespace",
            "MetricName",
            "AlarmDescription",
            "Threshold",
            "Period",
            "EvaluationPeriods",
            "ComparisonOperator",
            "OKActions",
            "AlarmActions",
            "InsufficientDataActions",
            "Dimensions",
            "TreatMissingData",
            "ExtendedStatistic",
            "EvaluateLowSampleCountPercentile"
        ],
        "absent keys are left out, present ones keep the original order"
    );
    assert_eq!(custom["Dimensions"], json!([]));
}

#[test]
fn name_and_prefix_templates() {
    let plan = plan(
        json!({"nameTemplate": "$[functionName]-$[metricName]-$[functionId]-$[metricId]", "alarms": ["functionErrors"]}),
        json!({"hello": {"alarms": [{"name": "quiet", "prefixTemplate": "", "metric": "Throttles", "namespace": "AWS/Lambda",
            "threshold": 1, "statistic": "Sum", "period": 60, "evaluationPeriods": 1, "comparisonOperator": "GreaterThanThreshold"}]}}),
    );
    let name = |id: &str| plan.resources[id]["Properties"]["AlarmName"].clone();
    assert_eq!(name("HelloFunctionErrorsAlarm"), json!("svc-dev-hello-Errors-HelloLambdaFunction-Errors"));
    assert_eq!(name("HelloQuietAlarm"), json!("hello-Throttles-HelloLambdaFunction-Throttles"));

    let prefix_only = plan_with_prefix();
    assert_eq!(prefix_only, json!("team-svc-dev-hello-functionErrors"), "the alarm's name stands in for the metric");
}

fn plan_with_prefix() -> Value {
    let plan = plan(json!({"prefixTemplate": "team-$[stackName]", "alarms": ["functionErrors"]}), json!({"hello": {}}));
    plan.resources["HelloFunctionErrorsAlarm"]["Properties"]["AlarmName"].clone()
}

#[test]
fn patterns_add_two_metric_filters_with_valid_logical_ids() {
    let plan = plan(
        json!({}),
        json!({"hello": {"name": "custom-name", "alarms": [{"name": "bad-things_seen", "metric": "badThings", "pattern": "ERROR",
            "threshold": 1, "statistic": "Sum", "period": 60, "evaluationPeriods": 1, "comparisonOperator": "GreaterThanThreshold"}]}}),
    );
    let ids: Vec<&str> = plan.resources.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "HelloBadDashthingsUnderscoreseenAlarm",
            "HelloLambdaFunctionBadDashthingsUnderscoreseenLogMetricFilterALERT",
            "HelloLambdaFunctionBadDashthingsUnderscoreseenLogMetricFilterOK"
        ]
    );
    assert_eq!(
        plan.resources["HelloLambdaFunctionBadDashthingsUnderscoreseenLogMetricFilterALERT"],
        json!({"Type": "AWS::Logs::MetricFilter", "DependsOn": "HelloLogGroup", "Properties": {
            "FilterPattern": "ERROR", "LogGroupName": "/aws/lambda/custom-name",
            "MetricTransformations": [{"MetricValue": 1, "MetricNamespace": "svc-dev", "MetricName": "BadThingsHelloLambdaFunction"}]}})
    );
    let alarm = &plan.resources["HelloBadDashthingsUnderscoreseenAlarm"]["Properties"];
    assert_eq!(
        (&alarm["Namespace"], &alarm["MetricName"], &alarm["Dimensions"]),
        (&json!("svc-dev"), &json!("BadThingsHelloLambdaFunction"), &json!([]))
    );
}

#[test]
fn anomaly_detection_alarms() {
    let plan = plan(
        json!({}),
        json!({"hello": {"alarms": [{"name": "functionInvocations", "type": "anomalyDetection", "threshold": 1.5,
            "comparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold"}]}}),
    );
    let props = &plan.resources["HelloFunctionInvocationsAlarm"]["Properties"];
    assert_eq!(
        props["Metrics"][1],
        json!({"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 1.5)",
        "Label": "Invocations (expected)", "ReturnData": true})
    );
    assert_eq!(props["Metrics"][0]["MetricStat"]["Stat"], json!("Sum"));
    assert_eq!(props["ThresholdMetricId"], json!("ad1"));
    assert!(props.get("Threshold").is_none());
}

#[test]
fn function_entries_override_or_disable_global_ones() {
    let plan = plan(
        json!({"alarms": ["functionErrors", "functionThrottles"]}),
        json!({"a": {"alarms": [{"name": "functionErrors", "threshold": 9}]}, "b": {"alarms": [{"name": "functionThrottles", "enabled": false}]}}),
    );
    let ids: Vec<&str> = plan.resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["AFunctionErrorsAlarm", "AFunctionThrottlesAlarm", "BFunctionErrorsAlarm"]);
    assert_eq!(plan.resources["AFunctionErrorsAlarm"]["Properties"]["Threshold"], json!(9));
}

#[test]
fn dashboards_are_compact_json_in_the_original_layout() {
    let plan = plan(json!({"dashboards": ["default", "vertical", "default"]}), json!({"hello": {}, "world": {}}));
    let ids: Vec<&str> = plan.resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["AlertsDashboard", "AlertsDashboardvertical"]);
    let props = &plan.resources["AlertsDashboardvertical"]["Properties"];
    assert_eq!(props["DashboardName"], json!("svc-dev-eu-west-1-vertical"));
    let body = props["DashboardBody"].as_str().expect("a string");
    assert!(body.starts_with(r#"{"widgets":[{"type":"metric","x":0,"y":0,"width":10,"height":6,"properties":{"title":"Errors","view":"timeSeries","stacked":false,"metrics":[["AWS/Lambda","Errors","FunctionName","svc-dev-hello",{"stat":"Sum","period":900,"region":"eu-west-1","label":"hello"}],"#));
    let widgets: Value = serde_json::from_str(body).expect("valid JSON");
    assert_eq!(widgets["widgets"].as_array().map(Vec::len), Some(14));
    assert_eq!(widgets["widgets"][3]["properties"]["metrics"].as_array().map(Vec::len), Some(2), "Duration Average");
    assert_eq!(
        widgets["widgets"][6]["properties"]["metrics"].as_array().map(Vec::len),
        Some(4),
        "p50 and p90 per function"
    );
}

#[test]
fn stages_gate_everything() {
    let plan =
        plan(json!({"stages": ["prod"], "alarms": ["functionErrors"], "dashboards": true}), json!({"hello": {}}));
    assert!(plan.resources.is_empty());
    assert_eq!(codes(&plan), [("alerts/stage-skipped", "custom.alerts.stages")]);
    assert_eq!(plan.diagnostics[0].severity, Severity::Info);
}

#[test]
fn without_an_alerts_block_function_alarms_still_compile() {
    let service: Service = serde_json::from_value(json!({
        "service": "svc", "stackName": "svc-dev", "stage": "dev", "region": "us-east-1",
        "functions": {"hello": {"alarms": [{"name": "ErrorAlarm", "namespace": "AWS/Lambda", "metric": "Errors", "threshold": 1,
            "statistic": "Minimum", "period": 60, "evaluationPeriods": 1, "comparisonOperator": "GreaterThanOrEqualToThreshold"}]}}
    }))
    .expect("valid");
    let plan = alerts::plan(&json!({"Resources": {}}), &service);
    assert!(plan.resources.contains_key("HelloErrorAlarmAlarm"));
    assert_eq!(codes(&plan), [("alerts/no-alerts-block", "functions.hello.alarms")]);
}

#[test]
fn crashes_of_the_original_are_diagnostics() {
    let plan = plan(
        json!({"topics": {"critical": {"alarm": "c"}}, "alarms": ["functionErors"]}),
        json!({
            "a": {"alarms": [{"metric": "Errors"}]},
            "b": {"alarms": [{"name": "functionErrors", "alarmActions": ["critcal"], "okActions": ["critical"]}]},
            "c": {"alarms": [{"name": "y", "type": "anomaly"}]}
        }),
    );
    assert!(plan.has_errors());
    assert_eq!(
        codes(&plan),
        [
            ("alerts/unknown-definition", "custom.alerts.alarms[0]"),
            ("alerts/alarm-without-name", "functions.a.alarms[0]"),
            ("alerts/topic-state-missing", "functions.b.alarms[0].okActions[0]"),
            ("alerts/unknown-topic-group", "functions.b.alarms[0].alarmActions[0]"),
            ("alerts/unknown-alarm-type", "functions.c.alarms[0].type"),
        ]
    );
    let hints: Vec<&str> = plan.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(hints[0].ends_with("did you mean `functionErrors`?"), "{}", hints[0]);
    assert!(hints[3].ends_with("did you mean `critical`?"), "{}", hints[3]);
    assert!(hints[4].ends_with("did you mean `anomalyDetection`?"), "{}", hints[4]);
    let mut template = json!({"Resources": {}});
    plan.apply_to(&mut template);
    assert_eq!(template, json!({"Resources": {}}), "nothing is applied when anything is wrong");
}

#[test]
fn colliding_logical_ids_are_refused() {
    let plan = plan(
        json!({"definitions": {"baz": errors_definition(), "barBaz": errors_definition()}}),
        json!({"fooBar": {"alarms": ["baz"]}, "foo": {"alarms": ["barBaz"]}}),
    );
    assert_eq!(codes(&plan), [("alerts/logical-id-collision", "functions.foo.alarms")]);
    assert!(plan.diagnostics[0].message.contains("FooBarBazAlarm"));
}

#[test]
fn an_external_stack_is_refused_rather_than_merged_into_the_main_stack() {
    let plan = plan(json!({"externalStack": true, "alarms": ["functionErrors"]}), json!({"hello": {}}));
    assert!(plan.resources.is_empty());
    assert_eq!(codes(&plan), [("alerts/external-stack-unsupported", "custom.alerts.externalStack")]);
}

#[test]
fn what_the_original_read_loosely_is_read_the_same_way_with_a_warning() {
    let svc = |alerts: Value| service(alerts, json!({"hello": {"alarms": ["functionErrors"]}}));
    let loose = alerts::plan(&json!({"Resources": {}}), &svc(json!(true)));
    assert!(loose.resources.contains_key("HelloFunctionErrorsAlarm"), "`alerts: true` is an empty block");
    assert_eq!(codes(&loose), [("alerts/config-not-object", "custom.alerts")]);
    assert_eq!(loose.diagnostics[0].severity, Severity::Warning);

    let listed =
        alerts::plan(&json!({"Resources": {}}), &svc(json!({"topics": {"alarm": ["arn:aws:sns:a", "arn:aws:sns:b"]}})));
    assert_eq!(listed.resources["HelloFunctionErrorsAlarm"]["Properties"]["AlarmActions"], json!([]));
    assert_eq!(codes(&listed), [("alerts/topic-ignored", "custom.alerts.topics.alarm")]);
}

#[test]
fn topic_ids_are_valid_logical_ids() {
    let plan = plan(json!({"topics": {"on_call-x": {"alarm": "pager"}}}), json!({}));
    let ids: Vec<&str> = plan.resources.keys().map(String::as_str).collect();
    assert_eq!(ids, ["AwsAlertsOnUnderscorecallDashxAlarm"]);
}

#[test]
fn a_null_dimension_is_refused() {
    let plan = plan(
        json!({}),
        json!({"hello": {"alarms": [{"name": "functionDuration", "dimensions": [{"Name": "Team", "Value": "p"}, null]}]}}),
    );
    assert_eq!(codes(&plan), [("alerts/wrong-type", "functions.hello.alarms[0].dimensions[1]")]);
}

#[test]
fn alarm_values_are_checked_once_per_alarm() {
    let plan = plan(
        json!({
            "definitions": {"slow": {"namespace": "AWS/Lambda", "metric": "Duration", "threshold": "fast", "statistic": "average",
                "period": 45, "evaluationPeriods": 1, "datapointsToAlarm": 2, "comparisonOperator": "GreaterThanUpperThreshold",
                "treatMissingData": "notbreaching", "treshold": 5}},
            "alarms": ["slow"]
        }),
        json!({"a": {}, "b": {}, "c": {"alarms": [{"name": "partial", "metric": "Errors"}]}}),
    );
    let missing = ("alerts/field-missing", "functions.c.alarms[0]");
    assert_eq!(
        codes(&plan),
        [
            ("alerts/unknown-key", "custom.alerts.definitions.slow.treshold"),
            ("alerts/unknown-statistic", "custom.alerts.definitions.slow.statistic"),
            ("alerts/comparison-operator-mismatch", "custom.alerts.definitions.slow.comparisonOperator"),
            ("alerts/unknown-treat-missing-data", "custom.alerts.definitions.slow.treatMissingData"),
            ("alerts/wrong-type", "custom.alerts.definitions.slow.threshold"),
            ("alerts/invalid-period", "custom.alerts.definitions.slow.period"),
            ("alerts/datapoints-exceed-periods", "custom.alerts.definitions.slow.datapointsToAlarm"),
            missing,
            missing,
            missing,
            missing,
            missing,
            missing,
        ]
    );
    let messages: Vec<&str> = plan.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages[0].contains("did you mean `threshold`?"), "{}", messages[0]);
    assert!(messages[1].contains("did you mean `Average`?"), "{}", messages[1]);
    assert!(messages[3].contains("did you mean `notBreaching`?"), "{}", messages[3]);
    assert_eq!(plan.diagnostics[0].severity, Severity::Error, "a likely typo is an error");
}
