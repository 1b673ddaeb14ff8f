//! Standalone compile: the diagnostics it adds, where they point, and what
//! the template holds in place of the clock and the code hash. Parity with
//! `sls package` itself is proven by tests/compile.test.js.

mod common;

use canaria_core::compile::placeholder;
use canaria_core::{Location, Severity};
use common::{Found, compile, found};
use serde_json::{Value, json};

fn one(code: &str, severity: Severity, path: &str, at: (usize, usize)) -> Vec<Found> {
    vec![(code.to_owned(), severity, path.to_owned(), Some(at))]
}

const HEAD: &str = "service: svc\nprovider:\n  name: aws\n";

#[test]
fn mistakes_in_the_service_itself() {
    assert_eq!(found("- a\n"), one("compile/config-not-object", Severity::Error, "", (1, 1)));
    // Nothing to point at: the key is not written.
    assert_eq!(
        found("provider:\n  name: aws\n"),
        vec![("compile/service-missing".into(), Severity::Error, "service".into(), None)]
    );
    let text = format!("{HEAD}functions:\n  hello: handler.hello\n");
    assert_eq!(found(&text), one("compile/function-not-object", Severity::Error, "functions.hello", (5, 10)));
    assert!(compile(&text).template.is_none());
}

#[test]
fn functions_need_a_handler() {
    let text = format!("{HEAD}functions:\n  hello:\n    memorySize: 512\n");
    assert_eq!(found(&text), one("compile/handler-missing", Severity::Error, "functions.hello", (6, 5)));
    let image = format!("{HEAD}functions:\n  hello:\n    image: repo@sha256:abc\n");
    assert_eq!(
        found(&image),
        vec![
            ("compile/unsupported-key".to_owned(), Severity::Warning, "functions.hello.image".to_owned(), Some((6, 5))),
            ("compile/handler-missing".to_owned(), Severity::Error, "functions.hello".to_owned(), Some((6, 5))),
        ]
    );
}

#[test]
fn events_not_compiled_are_named() {
    let text = format!(
        "{HEAD}functions:\n  hello:\n    handler: h.hello\n    events:\n      - shedule: rate(1 minute)\n      - alexaSkill: amzn1.ask.skill.x\n"
    );
    let diagnostics = found(&text);
    assert_eq!(
        diagnostics[0],
        ("compile/unknown-event".into(), Severity::Warning, "functions.hello.events[0].shedule".into(), Some((8, 9)))
    );
    assert_eq!(
        diagnostics[1],
        (
            "compile/unsupported-event".into(),
            Severity::Warning,
            "functions.hello.events[1].alexaSkill".into(),
            Some((9, 9))
        )
    );
    let message = &compile(&text).diagnostics[0].message;
    assert!(message.ends_with("did you mean `schedule`?"), "{message}");
    assert!(compile(&text).template.is_some(), "warnings leave the template");
}

#[test]
fn function_settings_the_framework_refuses() {
    let text = format!(
        "{HEAD}functions:\n  a:\n    handler: h.a\n    fileSystemConfig:\n      arn: arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1\n      localMountPath: /mnt/a\n"
    );
    assert_eq!(
        found(&text),
        one("compile/file-system-without-vpc", Severity::Error, "functions.a.fileSystemConfig", (8, 7))
    );
    let text =
        format!("{HEAD}functions:\n  a:\n    handler: h.a\n    snapStart: true\n    provisionedConcurrency: 2\n");
    assert_eq!(
        found(&text),
        one("compile/snap-start-with-provisioned-concurrency", Severity::Error, "functions.a", (6, 5))
    );
}

#[test]
fn destinations_must_be_reachable() {
    let text = format!(
        "{HEAD}functions:\n  notify:\n    handler: h.n\n  a:\n    handler: h.a\n    destinations:\n      onFailure: notifyy\n      onSuccess: arn:aws:kinesis:us-east-1:1:stream/s\n"
    );
    let diagnostics = compile(&text).diagnostics;
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert_eq!(
        (diagnostics[0].code, diagnostics[0].path.as_str()),
        ("compile/unsupported-destination", "functions.a.destinations.onSuccess")
    );
    assert_eq!(
        (diagnostics[1].code, diagnostics[1].path.as_str()),
        ("compile/unknown-destination", "functions.a.destinations.onFailure")
    );
    assert!(diagnostics[1].message.contains("did you mean `notify`?"));
    assert_eq!(diagnostics[1].location, Some(Location { line: 10, column: 18 }));
}

#[test]
fn extensions_apply_to_generated_resources_only() {
    let base = format!("{HEAD}functions:\n  hello:\n    handler: h.hello\nresources:\n  extensions:\n");
    let typo = format!("{base}    HelloLogGroupp:\n      Properties:\n        RetentionInDays: 7\n");
    let diagnostics = compile(&typo).diagnostics;
    assert_eq!(diagnostics[0].code, "compile/extension-unknown-resource");
    assert_eq!(diagnostics[0].path, "resources.extensions.HelloLogGroupp");
    assert_eq!(diagnostics[0].location, Some(Location { line: 9, column: 5 }));
    assert!(diagnostics[0].message.contains("did you mean `HelloLogGroup`?"));
    let attribute = format!("{base}    HelloLogGroup:\n      Type: AWS::Logs::LogGroup\n");
    assert_eq!(
        found(&attribute),
        one(
            "compile/extension-unsupported-attribute",
            Severity::Error,
            "resources.extensions.HelloLogGroup.Type",
            (10, 7)
        )
    );
    let good =
        format!("{base}    HelloLogGroup:\n      Properties:\n        RetentionInDays: 7\n      DependsOn: [Other]\n");
    let template = compile(&good).template.unwrap_or_default();
    assert_eq!(template["Resources"]["HelloLogGroup"]["Properties"]["RetentionInDays"], json!(7));
    assert_eq!(template["Resources"]["HelloLogGroup"]["DependsOn"], json!(["Other"]));
}

#[test]
fn the_clock_and_the_code_hash_are_placeholders() {
    let text = format!("{HEAD}functions:\n  hello:\n    handler: h.hello\n");
    let template = compile(&text).template.unwrap_or_default();
    let version = format!("HelloLambdaVersion{}", placeholder::VERSION_SUFFIX);
    assert_eq!(template["Resources"][&version]["Properties"]["CodeSha256"], json!(placeholder::CODE_SHA256));
    let key = template["Resources"]["HelloLambdaFunction"]["Properties"]["Code"]["S3Key"].as_str().unwrap_or_default();
    assert_eq!(key, format!("serverless/svc/dev/{}/svc.zip", placeholder::ARTIFACT_DIRECTORY_CLOCK));
    assert_eq!(template["Outputs"]["HelloLambdaFunctionQualifiedArn"]["Value"], json!({"Ref": version}));
}

#[test]
fn the_same_text_compiles_to_the_same_bytes() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/canary-deployments/serverless.yml"))
            .unwrap_or_default();
    let first = serde_json::to_string(&compile(&text).template).unwrap_or_default();
    assert!(first.contains("HelloLambdaFunctionAliasLive"), "the example compiles with its canary");
    for _ in 0..3 {
        assert_eq!(serde_json::to_string(&compile(&text).template).unwrap_or_default(), first);
    }
}

#[test]
fn ownership_names_what_the_passes_wrote() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/canary-deployments/serverless.yml"))
            .unwrap_or_default();
    let compiled = compile(&text);
    let resources = compiled.template.as_ref().and_then(|t| t["Resources"].as_object()).cloned().unwrap_or_default();
    for id in &compiled.resources.added {
        assert!(resources.contains_key(id), "{id} was added but is not in the template");
    }
    assert!(compiled.resources.added.iter().any(|id| id == "HelloLambdaFunctionAliasLive"));
    assert!(compiled.resources.added.iter().any(|id| id == "HelloLambdaFunctionDeploymentGroup"));
    let value: Value = serde_json::to_value(&compiled.resources).unwrap_or_default();
    assert!(value["rewired"].is_array());
}

#[test]
fn plugins_and_layers_it_does_not_run_are_named() {
    let text = format!(
        "{HEAD}plugins:\n  - serverless-canaria\n  - serverless-offline\nlayers:\n  deps:\n    path: layer\nfunctions:\n  a:\n    handler: h.a\n"
    );
    assert_eq!(
        found(&text),
        vec![
            ("compile/plugin-not-run".into(), Severity::Info, "plugins[1]".into(), Some((6, 5))),
            ("compile/unsupported-key".into(), Severity::Warning, "layers".into(), Some((7, 1))),
        ]
    );
}

/// `(code, path, message)` of every diagnostic that is not info.
fn problems(text: &str) -> Vec<(String, String, String)> {
    compile(text)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.code.to_owned(), d.path, d.message))
        .collect()
}

#[test]
fn http_api_routes_the_framework_refuses() {
    let events = |events: &str| format!("{HEAD}functions:\n  a:\n    handler: h.a\n    events:\n{events}");
    let text = events("      - httpApi: GET users\n");
    assert_eq!(found(&text), one("compile/event-invalid", Severity::Error, "functions.a.events[0].httpApi", (8, 18)));
    assert!(compile(&text).template.is_none());
    for (text, path, words) in [
        (events("      - httpApi: { path: /x }\n"), "functions.a.events[0].httpApi", "no `method`"),
        (events("      - httpApi: { method: FETCH, path: /x }\n"), "functions.a.events[0].httpApi.method", "`FETCH`"),
        (events("      - httpApi: { method: GET, path: '*' }\n"), "functions.a.events[0].httpApi.path", "`*` route"),
        (events("      - httpApi: GET /x\n      - httpApi: get /x\n"), "functions.a.events[1].httpApi", "twice"),
        (
            events("      - httpApi: { method: GET, path: /x, authorizer: { id: abc } }\n"),
            "functions.a.events[0].httpApi.authorizer",
            "external HTTP API",
        ),
    ] {
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("compile/event-invalid", path));
        assert!(found[0].2.contains(words), "{}", found[0].2);
    }
    // Two `*` routes are one route: the last one's function serves it.
    let text = format!(
        "{HEAD}functions:\n  a:\n    handler: h.a\n    events: [ {{ httpApi: '*' }} ]\n  b:\n    handler: h.b\n    events: [ {{ httpApi: '*' }} ]\n"
    );
    let template = compile(&text).template.unwrap_or_default();
    assert_eq!(template["Resources"]["HttpApiRouteDefault"]["DependsOn"], json!("HttpApiIntegrationB"), "{template:#}");
    assert!(template["Resources"].get("HttpApiIntegrationA").is_none());
}

#[test]
fn http_api_authorizers_must_be_defined() {
    let text = format!(
        "{HEAD}  httpApi:\n    authorizers:\n      jwtAuth: {{ identitySource: $request.header.Authorization, issuerUrl: https://x, audience: a }}\nfunctions:\n  a:\n    handler: h.a\n    events:\n      - httpApi: {{ method: GET, path: /x, authorizer: jwtAuht }}\n"
    );
    let diagnostics = compile(&text).diagnostics;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, "compile/unknown-authorizer");
    assert_eq!(diagnostics[0].path, "functions.a.events[0].httpApi.authorizer");
    assert!(diagnostics[0].message.ends_with("did you mean `jwtAuth`?"), "{}", diagnostics[0].message);
    assert!(diagnostics[0].location.is_some());
    let request = format!(
        "{HEAD}  httpApi:\n    authorizers:\n      auth: {{ type: request, functionName: missing }}\nfunctions:\n  a:\n    handler: h.a\n"
    );
    let found = problems(&request);
    assert_eq!(found[0].0, "compile/event-invalid");
    assert_eq!(found[0].1, "provider.httpApi.authorizers.auth.functionName");
}

#[test]
fn schedules_the_framework_refuses() {
    let events = |events: &str| format!("{HEAD}functions:\n  a:\n    handler: h.a\n    events:\n{events}");
    for (text, path, words) in [
        (
            events("      - schedule: { rate: [ rate(1 day), rate(2 days) ], name: both }\n"),
            "functions.a.events[0].schedule.name",
            "more than one rate",
        ),
        (
            events("      - schedule: { rate: rate(1 day), method: scheduler, inputPath: $.x }\n"),
            "functions.a.events[0].schedule.inputPath",
            "scheduler",
        ),
        (
            events("      - schedule: { rate: rate(1 day), timezone: Europe/Madrid }\n"),
            "functions.a.events[0].schedule.timezone",
            "only supported",
        ),
        (events("      - schedule: { enabled: false }\n"), "functions.a.events[0].schedule.rate", "no `rate`"),
        (
            events("      - schedule: { rate: rate(1 day), description: 'Say \"hi\"' }\n"),
            "functions.a.events[0].schedule",
            "`description` unescaped",
        ),
    ] {
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("compile/event-invalid", path));
        assert!(found[0].2.contains(words), "{}", found[0].2);
    }
}

#[test]
fn rule_events_the_framework_refuses() {
    let events = |events: &str| format!("{HEAD}functions:\n  a:\n    handler: h.a\n    events:\n{events}");
    for (text, path, words) in [
        (
            events("      - eventBridge: { pattern: { source: [x] }, input: { a: 1 }, inputPath: $.x }\n"),
            "functions.a.events[0].eventBridge",
            "only one of",
        ),
        (
            events("      - cloudwatchEvent: { event: { source: [x] }, input: a, inputPath: $.x }\n"),
            "functions.a.events[0].cloudwatchEvent",
            "only one of",
        ),
        (events("      - cloudwatchEvent: { name: x }\n"), "functions.a.events[0].cloudwatchEvent", "no `event`"),
        (
            events("      - cloudwatchLog: /g\n      - cloudwatchLog: /g\n      - cloudwatchLog: /g\n"),
            "functions.a.events[2].cloudwatchLog",
            "only 2 subscription filters",
        ),
    ] {
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("compile/event-invalid", path));
        assert!(found[0].2.contains(words), "{}", found[0].2);
    }
}

#[test]
fn legacy_event_bridge_custom_resources_are_named_not_built() {
    let text = format!(
        "{HEAD}  eventBridge:\n    useCloudFormation: false\nfunctions:\n  a:\n    handler: h.a\n    events:\n      - eventBridge: {{ eventBus: bus, pattern: {{ source: [x] }} }}\n      - schedule: rate(1 day)\n      - eventBridge: {{ pattern: {{ source: [y] }} }}\n"
    );
    assert_eq!(
        found(&text),
        vec![
            (
                "compile/event-bridge-custom-resource".to_owned(),
                Severity::Warning,
                "functions.a.events[0].eventBridge".to_owned(),
                Some((10, 9))
            ),
            (
                "compile/event-bridge-custom-resource".to_owned(),
                Severity::Warning,
                "functions.a.events[2].eventBridge".to_owned(),
                Some((12, 9))
            ),
        ]
    );
    let template = compile(&text).template.unwrap_or_default();
    let resources = template["Resources"].as_object().cloned().unwrap_or_default();
    assert!(resources.contains_key("AEventsRuleSchedule1"), "other events still compile");
    assert!(!resources.keys().any(|id| id.contains("EventBridge")), "{:?}", resources.keys());
    // `provider.eventBridge` without `useCloudFormation: true` selects the custom resource too.
    let implicit = text.replace("    useCloudFormation: false\n", "    other: 1\n");
    assert_eq!(problems(&implicit).len(), 2);
    let native = text.replace("useCloudFormation: false", "useCloudFormation: true");
    assert!(problems(&native).is_empty());
    let resources = compile(&native).template.unwrap_or_default()["Resources"].clone();
    assert!(resources.get("BusEventBridgeEventBus").is_some());
}

#[test]
fn api_gateway_settings_the_framework_refuses() {
    // An authorizer naming no function of the service.
    let text = format!(
        "{HEAD}functions:\n  auth:\n    handler: h.auth\n  api:\n    handler: h.api\n    events:\n      - http:\n          path: x\n          method: get\n          authorizer: auht\n"
    );
    assert_eq!(
        found(&text),
        one(
            "compile/unknown-authorizer-function",
            Severity::Error,
            "functions.api.events[0].http.authorizer",
            (13, 23)
        )
    );
    assert!(compile(&text).diagnostics[0].message.ends_with("did you mean `auth`?"));
    assert!(compile(&text).template.is_none());
    // The same in a websocket authorizer's object form.
    let text = format!(
        "{HEAD}functions:\n  auth:\n    handler: h.auth\n  ws:\n    handler: h.ws\n    events:\n      - websocket:\n          route: $connect\n          authorizer: {{ name: missing }}\n"
    );
    assert_eq!(
        found(&text),
        one(
            "compile/unknown-authorizer-function",
            Severity::Error,
            "functions.ws.events[0].websocket.authorizer",
            (12, 23)
        )
    );
    // An HTTP proxy integration without a URI (API_GATEWAY_MISSING_REQUEST_URI).
    let text = format!(
        "{HEAD}functions:\n  api:\n    handler: h.api\n    events:\n      - http: {{ method: get, path: x, integration: http-proxy }}\n"
    );
    assert_eq!(
        found(&text),
        one("compile/api-gateway-refused", Severity::Error, "functions.api.events[0].http.request", (8, 9))
    );
    assert!(
        compile(&text).diagnostics[0].help.as_deref().is_some_and(|h| h.contains("API_GATEWAY_MISSING_REQUEST_URI"))
    );
    // An HTTP integration without a response: `sls package` crashes on it.
    let text = format!(
        "{HEAD}functions:\n  api:\n    handler: h.api\n    events:\n      - http: {{ method: get, path: x, integration: http, request: {{ uri: 'https://x' }} }}\n"
    );
    assert_eq!(found(&text)[0].0, "compile/api-gateway-refused");
    // An existing API without its root resource.
    let text = format!(
        "{HEAD}  apiGateway:\n    restApiId: abc\nfunctions:\n  api:\n    handler: h.api\n    events:\n      - http: GET /x\n"
    );
    assert_eq!(
        found(&text),
        one("compile/api-gateway-refused", Severity::Error, "provider.apiGateway.restApiId", (5, 16))
    );
    // A string event without a path.
    let text = format!("{HEAD}functions:\n  api:\n    handler: h.api\n    events:\n      - http: GET\n");
    assert_eq!(
        found(&text),
        one("compile/api-gateway-refused", Severity::Error, "functions.api.events[0].http", (8, 15))
    );
}

#[test]
fn api_gateway_parts_not_compiled_are_named() {
    // REST API access logs need the Framework's custom resource for API
    // Gateway's CloudWatch role: the log group is compiled, the rest named.
    let text = format!(
        "{HEAD}  logs:\n    restApi: true\nfunctions:\n  api:\n    handler: h.api\n    events:\n      - http: GET /x\n"
    );
    assert_eq!(found(&text), one("compile/unsupported-key", Severity::Warning, "provider.logs.restApi", (5, 5)));
    let template = compile(&text).template.unwrap_or_default();
    assert_eq!(
        template["Resources"]["ApiGatewayLogGroup"]["Properties"]["LogGroupName"],
        json!("/aws/api-gateway/svc-dev")
    );
    // Websocket logs the same.
    let text = format!(
        "{HEAD}  logs:\n    websocket: true\nfunctions:\n  ws:\n    handler: h.ws\n    events:\n      - websocket: $connect\n"
    );
    assert_eq!(found(&text), one("compile/unsupported-key", Severity::Warning, "provider.logs.websocket", (5, 5)));
    // Predefined resources of an existing API are not compiled at all.
    let text = format!(
        "{HEAD}  apiGateway:\n    restApiId: abc\n    restApiRootResourceId: root\n    restApiResources:\n      /users: def\nfunctions:\n  api:\n    handler: h.api\n    events:\n      - http: GET /users/{{id}}\n"
    );
    assert_eq!(
        found(&text),
        one("compile/unsupported-key", Severity::Warning, "provider.apiGateway.restApiResources", (7, 5))
    );
    let template = compile(&text).template.unwrap_or_default();
    assert!(template["Resources"].as_object().is_some_and(|r| !r.keys().any(|k| k.starts_with("ApiGateway"))));
}

#[test]
fn websocket_deployments_are_named_by_their_hash() {
    let text = format!("{HEAD}functions:\n  ws:\n    handler: h.ws\n    events:\n      - websocket: $connect\n");
    let template = compile(&text).template.unwrap_or_default();
    let ids: Vec<&String> = template["Resources"].as_object().map(|r| r.keys().collect()).unwrap_or_default();
    let is_deployment = |id: &str| id.starts_with("WebsocketsDeployment") && id != "WebsocketsDeploymentStage";
    let deployment = ids.iter().find(|id| is_deployment(id));
    assert!(deployment.is_some(), "{ids:?}");
    // Another route, another hash; the same text, the same name.
    let other = format!("{HEAD}functions:\n  ws:\n    handler: h.ws\n    events:\n      - websocket: $default\n");
    let other_template = compile(&other).template.unwrap_or_default();
    let other_id = other_template["Resources"].as_object().and_then(|r| r.keys().find(|k| is_deployment(k)).cloned());
    assert_ne!(other_id.as_deref(), deployment.map(|d| d.as_str()));
    assert_eq!(compile(&text).template, Some(template.clone()));
    assert_eq!(
        template["Resources"]["WebsocketsDeploymentStage"]["Properties"]["DeploymentId"],
        json!({"Ref": deployment.map(|d| d.as_str())})
    );
}
