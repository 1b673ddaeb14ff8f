//! Standalone compile of the event sources (s3, sqs, sns, stream, iot): the
//! configurations on which `sls package` itself fails, each a located
//! error, and what the template holds where the Framework reads the clock.
//! Parity with `sls package` is proven by tests/compile.test.js.

mod common;

use canaria_core::Severity;
use canaria_core::compile::placeholder;
use common::{Found, compile, found};
use serde_json::json;

/// A service whose one function `a` has `events` (YAML, indented by 6).
fn service(events: &str) -> String {
    format!("service: svc\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: h.a\n    events:\n{events}")
}

fn error(code: &str, path: &str, at: (usize, usize)) -> Vec<Found> {
    vec![(code.to_owned(), Severity::Error, path.to_owned(), Some(at))]
}

#[test]
fn arns_the_framework_cannot_name_stop_the_compile() {
    let text = service("      - sqs: { arn: { Ref: Queue } }\n");
    assert_eq!(found(&text), error("compile/event-value-unusable", "functions.a.events[0].sqs", (8, 14)));
    assert!(compile(&text).template.is_none());
    let text = service("      - stream: { arn: { 'Fn::GetAtt': [Table, StreamArn] } }\n");
    assert_eq!(found(&text), error("compile/event-value-unusable", "functions.a.events[0].stream", (8, 17)));
    let text = service("      - sqs: arn:aws:sqs:us-east-1:1:q\n      - iot: { name: rule }\n");
    assert_eq!(found(&text), error("compile/event-value-unusable", "functions.a.events[1].iot", (9, 14)));
}

#[test]
fn new_buckets_need_a_valid_literal_name() {
    let text = service("      - s3: { bucket: { Ref: Name } }\n");
    assert_eq!(found(&text), error("compile/s3-bucket-intrinsic", "functions.a.events[0].s3.bucket", (8, 23)));
    let text = service("      - s3: My_Photos\n");
    let diagnostics = compile(&text).diagnostics;
    assert_eq!(found(&text), error("compile/s3-bucket-name-invalid", "functions.a.events[0].s3", (8, 13)));
    assert!(diagnostics[0].message.contains("`My_Photos`"), "{}", diagnostics[0].message);
}

#[test]
fn a_function_reads_one_existing_bucket() {
    let text = service(
        "      - s3: { bucket: one, existing: true }\n      - s3: { bucket: { Ref: Other }, existing: true }\n",
    );
    let diagnostics = compile(&text).diagnostics;
    assert_eq!(
        found(&text),
        error("compile/s3-existing-buckets-per-function", "functions.a.events[1].s3.bucket", (9, 23))
    );
    assert!(diagnostics[0].message.contains(r#"`one` and `{"Ref":"Other"}`"#), "{}", diagnostics[0].message);
}

#[test]
fn an_sns_arn_by_intrinsic_needs_a_topic_name() {
    let text = service("      - sns: { arn: { Ref: Topic } }\n");
    assert_eq!(found(&text), error("compile/sns-topic-name-missing", "functions.a.events[0].sns", (8, 9)));
    let named = service("      - sns: { arn: { Ref: Topic }, topicName: orders }\n");
    let template = compile(&named).template.unwrap_or_default();
    assert!(template["Resources"]["ASnsSubscriptionOrders"].is_object());
}

#[test]
fn at_timestamp_needs_the_timestamp() {
    let text = service(
        "      - stream:\n          type: kinesis\n          arn: arn:aws:kinesis:us-east-1:1:stream/s\n          consumer: true\n          startingPosition: AT_TIMESTAMP\n",
    );
    assert_eq!(found(&text), error("compile/stream-timestamp-missing", "functions.a.events[0].stream", (9, 11)));
}

#[test]
fn force_deploy_is_a_clock_placeholder() {
    let text = service("      - s3: { bucket: legacy, existing: true, forceDeploy: true }\n");
    let template = compile(&text).template.unwrap_or_default();
    assert_eq!(template["Resources"]["ACustomS31"]["Properties"]["ForceDeploy"], json!(placeholder::FORCE_DEPLOY));
    let key =
        &template["Resources"]["CustomDashresourceDashexistingDashs3LambdaFunction"]["Properties"]["Code"]["S3Key"];
    assert_eq!(
        key,
        &json!(format!("serverless/svc/dev/{}/custom-resources.zip", placeholder::ARTIFACT_DIRECTORY_CLOCK))
    );
}

#[test]
fn a_custom_resource_name_the_framework_would_hash_is_named_as_unsupported() {
    // `<service>-<stage>-custom-resource-existing-s3` over 64 characters: the
    // Framework shortens it with an MD5 digest, which canaria does not write.
    let long = "a-service-name-long-enough-to-overflow";
    let text = service("      - s3: { bucket: legacy, existing: true }\n")
        .replace("service: svc", &format!("service: {long}"));
    let compiled = compile(&text);
    let codes: Vec<(&str, &str)> = compiled.diagnostics.iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(codes, [("compile/unsupported-key", "functions.a.events[0].s3.existing")]);
    let template = compiled.template.unwrap_or_default();
    assert!(template["Resources"].get("ACustomS31").is_none());
    assert!(template["Resources"].get("IamRoleCustomResourcesLambdaExecution").is_none());
}
