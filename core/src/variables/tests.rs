#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use super::*;
use crate::Severity;

fn context() -> Context {
    Context::default()
}

fn run_with(text: &str, ctx: &Context) -> (Value, Vec<Diagnostic>) {
    let mut config = crate::yaml::load(text).unwrap().value;
    let diagnostics = resolve(&mut config, ctx);
    (config, diagnostics)
}

/// Resolves and insists there is no diagnostic at all.
fn clean(text: &str, ctx: &Context) -> Value {
    let (config, diagnostics) = run_with(text, ctx);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    config
}

/// The one diagnostic, as (code, severity, path).
fn one(text: &str, ctx: &Context) -> (Value, (&'static str, Severity, String)) {
    let (config, diagnostics) = run_with(text, ctx);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    (config, (d.code, d.severity, d.path.clone()))
}

fn error_at(text: &str, code: &str, path: &str) {
    let (_, (found, severity, at)) = one(text, &context());
    assert_eq!((found, severity, at.as_str()), (code, Severity::Error, path));
}

#[test]
fn self_references_properties_list_items_and_nested_addresses() {
    let config = clean(
        "service: svc\nprovider: {name: aws, stage: prod}\ncustom:\n  lst: [x, y]\n  map: {prod: 1, dev: 2}\n  a: ${self:custom.lst.1}\n  b: ${self:custom.map.${self:provider.stage}}\n  c: ${self:custom.lst.length}\n  d: ${self:service}-${self:custom.a}\n",
        &context(),
    );
    assert_eq!(config["custom"]["a"], json!("y"));
    assert_eq!(config["custom"]["b"], json!(1));
    assert_eq!(config["custom"]["c"], json!(2));
    assert_eq!(config["custom"]["d"], json!("svc-y"));
}

#[test]
fn a_whole_value_keeps_its_type_and_a_string_joins() {
    let config = clean(
        "custom:\n  n: 5\n  flag: true\n  obj: {k: v}\n  whole: ${self:custom.obj}\n  num: ${self:custom.n}\n  joined: port-${self:custom.n}-${self:custom.flag}\n  list: x-${self:custom.lst}\n  lst: [1, [2, 3], null]\n",
        &context(),
    );
    assert_eq!(config["custom"]["whole"], json!({"k": "v"}));
    assert_eq!(config["custom"]["num"], json!(5));
    assert_eq!(config["custom"]["joined"], json!("port-5-true"));
    // As JavaScript joins a list: nested lists flatten, null is empty.
    assert_eq!(config["custom"]["list"], json!("x-1,2,3,"));
}

#[test]
fn references_resolve_in_dependency_order_whatever_the_document_order() {
    let config = clean("custom:\n  a: ${self:custom.b}-a\n  b: ${self:custom.c}-b\n  c: c\n", &context());
    assert_eq!(config["custom"]["a"], json!("c-b-a"));
    // An object is handed over with its own variables resolved.
    let config = clean("custom:\n  copy: ${self:custom.obj}\n  obj: {k: '${self:custom.v}'}\n  v: 1\n", &context());
    assert_eq!(config["custom"]["copy"], json!({"k": 1}));
}

#[test]
fn options_stage_and_region() {
    let ctx = Context { stage: Some("prod".into()), region: Some("eu-west-1".into()), ..context() };
    let text = "provider: {name: aws, stage: qa, region: us-west-2}\ncustom:\n  o: ${opt:stage}\n  s: ${sls:stage}\n  r: ${aws:region}\n  or: ${opt:region}\n  other: ${opt:foo, 'none'}\n";
    let config = clean(text, &ctx);
    assert_eq!(
        config["custom"],
        json!({"o": "prod", "s": "prod", "r": "eu-west-1", "or": "eu-west-1", "other": "none"})
    );
    // Without options: the provider's, then the defaults.
    let config = clean(
        text.replace("${opt:stage}", "${opt:stage, 'x'}").replace("${opt:region}", "${opt:region, null}").as_str(),
        &context(),
    );
    assert_eq!(config["custom"], json!({"o": "x", "s": "qa", "r": "us-west-2", "or": null, "other": "none"}));
    let config = clean("custom:\n  s: ${sls:stage}\n  r: ${aws:region}\n", &context());
    assert_eq!(config["custom"], json!({"s": "dev", "r": "us-east-1"}));
}

#[test]
fn environment_variables() {
    let ctx = Context { env: [("A".into(), "from-env".into())].into(), ..context() };
    let config = clean("custom:\n  a: ${env:A}\n  b: ${env:B, 'fallback'}\n  c: ${env:B, env:A}\n", &ctx);
    assert_eq!(config["custom"], json!({"a": "from-env", "b": "fallback", "c": "from-env"}));
    error_at("custom:\n  b: ${env:B}\n", "variables/not-found", "custom.b");
}

#[test]
fn params_given_then_stage_then_default() {
    let text = "params:\n  default: {a: da, b: db, c: dc}\n  prod: {b: pb}\ncustom:\n  a: ${param:a}\n  b: ${param:b}\n  c: ${param:c}\n";
    let ctx = Context { stage: Some("prod".into()), params: [("a".into(), "given".into())].into(), ..context() };
    let config = clean(text, &ctx);
    assert_eq!(config["custom"], json!({"a": "given", "b": "pb", "c": "dc"}));
    let config = clean(text, &context());
    assert_eq!(config["custom"], json!({"a": "da", "b": "db", "c": "dc"}));
    let (_, (code, _, path)) = one("custom:\n  x: ${param:nope}\n", &context());
    assert_eq!((code, path.as_str()), ("variables/not-found", "custom.x"));
}

#[test]
fn str_to_bool() {
    let ctx = Context { env: [("ON".into(), " TRUE ".into()), ("OFF".into(), "0".into())].into(), ..context() };
    let config =
        clean("custom:\n  a: ${strToBool(${env:ON})}\n  b: ${strToBool(${env:OFF})}\n  c: ${strToBool(1)}\n", &ctx);
    assert_eq!(config["custom"], json!({"a": true, "b": false, "c": true}));
    error_at("custom:\n  a: ${strToBool(maybe)}\n", "variables/source-error", "custom.a");
    // v3 reads a falsy literal param as no param at all.
    error_at("custom:\n  a: ${strToBool(false)}\n", "variables/source-error", "custom.a");
}

#[test]
fn files_yaml_json_and_text() {
    let ctx = Context {
        stage: Some("prod".into()),
        files: [
            ("config/prod.yml".into(), "db: {host: h, ref: !Ref Db}\nname: ${self:service}\n".into()),
            ("./data.json".into(), "{\"k\": [1, 2]}".into()),
            ("notes.txt".into(), "hello".into()),
        ]
        .into(),
        ..context()
    };
    let text = "service: svc\ncustom:\n  all: ${file(./config/${opt:stage}.yml)}\n  host: ${file(config/prod.yml):db.host}\n  k: ${file(./data.json):k.1}\n  txt: ${file(notes.txt)}\n  gone: ${file(./missing.yml), 'none'}\n  name: ${file(./config/../config/prod.yml):name}\n";
    let config = clean(text, &ctx);
    assert_eq!(config["custom"]["all"], json!({"db": {"host": "h", "ref": {"Ref": "Db"}}, "name": "svc"}));
    assert_eq!(config["custom"]["host"], json!("h"));
    assert_eq!(config["custom"]["k"], json!(2));
    assert_eq!(config["custom"]["txt"], json!("hello"));
    assert_eq!(config["custom"]["gone"], json!("none"));
    assert_eq!(config["custom"]["name"], json!("svc"));
    error_at("custom:\n  a: ${file(./missing.yml)}\n", "variables/not-found", "custom.a");
    let bad = Context { files: [("bad.json".into(), "{".into())].into(), ..context() };
    let (_, (code, _, path)) = one("custom:\n  a: ${file(bad.json)}\n", &bad);
    assert_eq!((code, path.as_str()), ("variables/file-parse", "custom.a"));
}

#[test]
fn fallbacks_and_literals() {
    let config = clean(
        "custom:\n  a: ${opt:x, 'a, b'}\n  b: ${opt:x, \"dq\"}\n  c: ${opt:x, 5}\n  d: ${opt:x, true}\n  e: ${opt:x, null}\n  f: ${opt:x, env:Y, self:custom.a}\n",
        &context(),
    );
    assert_eq!(config["custom"], json!({"a": "a, b", "b": "dq", "c": 5, "d": true, "e": null, "f": "a, b"}));
}

#[test]
fn escapes_and_cloudformation_are_left_as_text() {
    let config = clean(
        "service: svc\ncustom:\n  esc: \\${self:service}\n  cfn: ${AWS::Region}-${self:service}\n  sub: !Sub '${AWS::AccountId}:${self:service}'\n",
        &context(),
    );
    assert_eq!(config["custom"]["esc"], json!("${self:service}"));
    assert_eq!(config["custom"]["cfn"], json!("${AWS::Region}-svc"));
    assert_eq!(config["custom"]["sub"], json!({"Fn::Sub": "${AWS::AccountId}:svc"}));
}

#[test]
fn an_escaped_value_copied_whole_is_resolved_again_as_in_v3() {
    let config = clean("service: svc\ncustom:\n  esc: \\${self:service}\n  copy: ${self:custom.esc}\n", &context());
    assert_eq!(config["custom"]["copy"], json!("svc"));
}

#[test]
fn keys_are_not_resolved() {
    let config = clean("custom:\n  ${self:service}: 1\n", &context());
    assert_eq!(config["custom"], json!({"${self:service}": 1}));
}

#[test]
fn errors_v3_raises() {
    error_at("custom:\n  a: ${opt:stage, dev}\n", "variables/unquoted-literal", "custom.a");
    error_at("custom:\n  a: ${env:A, ${opt:b, 'x'}}\n", "variables/syntax", "custom.a");
    error_at("custom:\n  a: ${self:custom.b\n", "variables/syntax", "custom.a");
    error_at("custom:\n  t: ${self:custom.nope}\n", "variables/not-found", "custom.t");
    error_at("custom:\n  o: {k: v}\n  t: x-${self:custom.o}\n", "variables/non-string-in-string", "custom.t");
    error_at("custom:\n  t: x-${opt:nope, null}\n", "variables/non-string-in-string", "custom.t");
    error_at("custom:\n  t: ${slef:custom}\n", "variables/unknown-source", "custom.t");
    error_at("custom:\n  t: ${sls:nope}\n", "variables/source-error", "custom.t");
    error_at("custom:\n  t: ${aws:nope}\n", "variables/source-error", "custom.t");
    error_at(
        "functions:\n  f:\n    events:\n      - http: ${self:nope}\n",
        "variables/not-found",
        "functions.f.events[0].http",
    );
}

#[test]
fn cycles_are_errors_not_hangs() {
    error_at("custom:\n  a: ${self:custom.a}\n", "variables/circular", "custom.a");
    error_at("custom:\n  whole: ${self:}\n", "variables/circular", "custom.whole");
    error_at("custom:\n  up: ${self:custom}\n", "variables/circular", "custom.up");
    // Reported once, where the cycle closes; the others stop silently.
    let (_, diagnostics) =
        run_with("custom:\n  a: ${self:custom.b}\n  b: ${self:custom.c}\n  c: ${self:custom.a}\n", &context());
    assert_eq!(diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["variables/circular"]);
}

#[test]
fn values_that_resolve_to_variables_stop_at_the_nest_limit() {
    // Each file is an escaped reference to itself: it unwraps forever in v3 too.
    let ctx = Context { files: [("loop.yml".into(), "k: '${file(loop.yml):k}'\n".into())].into(), ..context() };
    let (_, diagnostics) = run_with("custom:\n  a: ${file(loop.yml):k}\n", &ctx);
    assert_eq!(
        diagnostics.iter().map(|d| (d.code, d.path.as_str())).collect::<Vec<_>>(),
        [("variables/too-deep", "custom.a")]
    );
}

#[test]
fn long_reference_chains_and_deep_nesting_do_not_overflow_the_stack() {
    let mut text = String::from("custom:\n");
    for i in 0..5_000 {
        text.push_str(&format!("  a{i}: ${{self:custom.a{}}}\n", i + 1));
    }
    text.push_str("  a5000: end\n");
    let (_, diagnostics) = run_with(&text, &context());
    assert!(diagnostics.iter().any(|d| d.code == "variables/too-deep"), "{:?}", &diagnostics[..1]);
    assert!(diagnostics.iter().all(|d| d.is_error()));
    let deep = format!("custom:\n  a: '{}x{}'\n", "${self:".repeat(50_000), "}".repeat(50_000));
    let (_, (code, _, _)) = one(&deep, &context());
    assert_eq!(code, "variables/too-deep");
}

#[test]
fn doubling_references_hit_the_output_budget() {
    let mut text = String::from("custom:\n  v0: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
    for i in 1..40 {
        text.push_str(&format!("  v{i}: ${{self:custom.v{p}}}${{self:custom.v{p}}}\n", p = i - 1));
    }
    let (_, diagnostics) = run_with(&text, &context());
    assert!(diagnostics.iter().any(|d| d.code == "variables/too-large"), "{diagnostics:?}");
}

#[test]
fn offline_sources_stay_as_written_with_an_info() {
    let cases = [
        ("${ssm:/app/key}", "ssm"),
        ("${ssm:/app/key, 'd'}", "ssm"),
        ("${cf:stack.Output}", "cf"),
        ("${cf(us-east-1):stack.Output}", "cf"),
        ("${s3:bucket/key}", "s3"),
        ("${aws:accountId}", "STS"),
        ("${file(./secrets.js):token}", "JavaScript"),
        ("${file(./x.cjs)}", "JavaScript"),
        ("${output:other.key}", "Dashboard"),
        ("${construct:api.url}", "serverless-lift"),
    ];
    for (variable, why) in cases {
        let (config, (code, severity, path)) = one(&format!("custom:\n  a: {variable}\n"), &context());
        assert_eq!((code, severity, path.as_str()), ("variables/unresolved-offline", Severity::Info, "custom.a"));
        assert_eq!(config["custom"]["a"], json!(variable));
        let (_, diagnostics) = run_with(&format!("custom:\n  a: {variable}\n"), &context());
        assert!(diagnostics[0].message.contains(why), "{variable}: {}", diagnostics[0].message);
    }
}

#[test]
fn placeholders_travel_with_what_depends_on_them() {
    let text = "service: svc\ncustom:\n  key: ${ssm:/app/${sls:stage}/key}\n  url: https://${self:custom.key}/x\n  flag: ${strToBool(${ssm:/flag})}\n  nested: ${self:custom.map.${ssm:/which}}\n  arn: arn:aws:iam::${aws:accountId}:role/${self:service}\n";
    let (config, diagnostics) = run_with(text, &context());
    let custom = &config["custom"];
    assert_eq!(custom["key"], json!("${ssm:/app/${sls:stage}/key}"));
    assert_eq!(custom["url"], json!("https://${ssm:/app/${sls:stage}/key}/x"));
    assert_eq!(custom["flag"], json!("${strToBool(${ssm:/flag})}"));
    assert_eq!(custom["nested"], json!("${self:custom.map.${ssm:/which}}"));
    assert_eq!(custom["arn"], json!("arn:aws:iam::${aws:accountId}:role/svc"));
    assert!(diagnostics.iter().all(|d| d.code == "variables/unresolved-offline"), "{diagnostics:?}");
    let paths: Vec<&str> = diagnostics.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["custom.key", "custom.flag", "custom.nested", "custom.arn"]);
}

#[test]
fn an_offline_source_before_a_fallback_is_not_skipped() {
    // v3 would ask AWS; offline, the value is unknown, not the fallback.
    let (config, _) = run_with("custom:\n  a: ${ssm:/x, 'fallback'}\n", &context());
    assert_eq!(config["custom"]["a"], json!("${ssm:/x, 'fallback'}"));
    // A fallback chain that never reaches the offline source resolves.
    let ctx = Context { env: [("X".into(), "x".into())].into(), ..context() };
    assert_eq!(clean("custom:\n  a: ${env:X, ssm:/x}\n", &ctx)["custom"]["a"], json!("x"));
}

#[test]
fn an_unknown_source_with_plugins_listed_is_a_warning() {
    let (config, (code, severity, _)) = one("plugins: [my-plugin]\ncustom:\n  a: ${vault:secret/x}\n", &context());
    assert_eq!((code, severity), ("variables/plugin-source", Severity::Warning));
    assert_eq!(config["custom"]["a"], json!("${vault:secret/x}"));
}

#[test]
fn instance_id_is_a_fixed_placeholder() {
    let (config, (code, severity, path)) = one("custom:\n  id: run-${sls:instanceId}\n", &context());
    assert_eq!(config["custom"]["id"], json!(format!("run-{INSTANCE_ID}")));
    assert_eq!((code, severity, path.as_str()), ("variables/instance-id", Severity::Info, "custom.id"));
}

#[test]
fn a_failed_property_keeps_its_text_and_dependents_report_nothing_more() {
    let (config, diagnostics) = run_with("custom:\n  a: ${self:custom.nope}\n  b: x-${self:custom.a}\n", &context());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(config["custom"]["a"], json!("${self:custom.nope}"));
    assert_eq!(config["custom"]["b"], json!("x-${self:custom.a}"));
}

#[test]
fn non_object_configs_are_left_alone() {
    let mut config = json!("${self:x}");
    assert!(resolve(&mut config, &context()).is_empty());
    assert_eq!(config, json!("${self:x}"));
}

#[test]
fn file_paths_normalise() {
    assert_eq!(normalise_file_path("./a/./b/../c.yml"), "a/c.yml");
    assert_eq!(normalise_file_path("../shared/x.yml"), "../shared/x.yml");
    assert_eq!(normalise_file_path("a//b.json"), "a/b.json");
    assert_eq!(extension("a/.env"), "");
    assert_eq!(extension("a.b/c"), "");
    assert_eq!(extension("x.tar.yml"), ".yml");
}
