//! The YAML front end: what js-yaml 4 with the Framework's schema reads, and
//! where each key was written. (`tests/yaml.test.js` compares it with the
//! real js-yaml on every service of the test corpus.)

#![allow(clippy::expect_used, reason = "a test fails loudly on malformed fixtures")]

use canaria_core::{Location, yaml};
use serde_json::json;

fn load(text: &str) -> serde_json::Value {
    yaml::load(text).expect("valid YAML").value
}

fn error(text: &str) -> (String, Option<Location>) {
    let diagnostic = yaml::load(text).expect_err("invalid YAML");
    (diagnostic.code.to_owned(), diagnostic.location)
}

#[test]
fn cloudformation_tags_become_intrinsics() {
    let value = load(
        "a: !Ref Thing\nb: !GetAtt Thing.Arn.Deep\nc: !GetAtt [Thing, Arn]\nd: !Sub 'x-${AWS::Region}'\ne: !Join [':', [a, !Ref B]]\nf: !If [Cond, 1, 2]\ng: !Condition Cond\n",
    );
    assert_eq!(
        value,
        json!({
            "a": {"Ref": "Thing"},
            "b": {"Fn::GetAtt": ["Thing", "Arn.Deep"]},
            "c": {"Fn::GetAtt": ["Thing", "Arn"]},
            "d": {"Fn::Sub": "x-${AWS::Region}"},
            "e": {"Fn::Join": [":", ["a", {"Ref": "B"}]]},
            "f": {"Fn::If": ["Cond", 1, 2]},
            "g": {"Condition": "Cond"}
        })
    );
}

#[test]
fn yaml_1_2_scalars_and_quoted_strings() {
    let value = load("a: yes\nb: off\nc: '1'\nd: 1.10\ne: ~\nf:\ng: \"true\"\nh: !!str 12\ni: 0x10\n");
    assert_eq!(
        value,
        json!({"a": "yes", "b": "off", "c": "1", "d": 1.1, "e": null, "f": null, "g": "true", "h": "12", "i": 16})
    );
}

#[test]
fn keys_are_strings_as_javascript_writes_them() {
    assert_eq!(load("1: a\ntrue: b\n~: c\n1.10: d\n"), json!({"1": "a", "true": "b", "null": "c", "1.1": "d"}));
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let value = load("base: &b {x: 1, y: 2}\nm:\n  z: 0\n  <<: *b\n  x: 9\nlist: [*b]\n");
    assert_eq!(value, json!({"base": {"x": 1, "y": 2}, "m": {"z": 0, "x": 9, "y": 2}, "list": [{"x": 1, "y": 2}]}));
    let keys: Vec<String> = value["m"].as_object().expect("map").keys().cloned().collect();
    assert_eq!(keys, ["z", "x", "y"], "merged keys sit where `<<` was");
}

#[test]
fn locations_of_keys_and_values() {
    let source = yaml::load("service: s\nfunctions:\n  hello:\n    handler: h.h\n    events:\n      - http: GET /\n")
        .expect("valid");
    assert_eq!(source.key_location("functions.hello.handler"), Some(Location { line: 4, column: 5 }));
    assert_eq!(source.value_location("functions.hello.handler"), Some(Location { line: 4, column: 14 }));
    assert_eq!(source.key_location("functions.hello.events[0].http"), Some(Location { line: 6, column: 9 }));
    assert_eq!(
        source.nearest_location("functions.hello.deploymentSettings.alias"),
        Some(Location { line: 3, column: 3 })
    );
}

#[test]
fn what_js_yaml_refuses_is_refused_with_a_location() {
    assert_eq!(error("a: 1\na: 2\n"), ("yaml/duplicate-key".into(), Some(Location { line: 2, column: 1 })));
    assert_eq!(error("a: !Foo 1\n").0, "yaml/unknown-tag");
    assert_eq!(error("a: 1\n---\nb: 2\n").0, "yaml/multiple-documents");
    assert_eq!(error("a: [1, 2\n").0, "yaml/syntax");
    assert_eq!(error("? [a]\n: b\n").0, "yaml/complex-key");
}

#[test]
fn nesting_stops_at_js_yaml_depth() {
    let nested = |depth: usize| format!("a: {}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(yaml::load(&nested(99)).is_ok());
    assert_eq!(error(&nested(100)).0, "yaml/too-deep");
    assert_eq!(error(&nested(10_000)).0, "yaml/too-deep");
}

#[test]
fn alias_bombs_are_refused() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    assert_eq!(error(&bomb).0, "yaml/alias-budget");
}

/// Found by the `validate` fuzz target: a flow collection left open at the
/// end of the text was reported on a line after the last one.
#[test]
fn a_syntax_error_at_the_end_points_inside_the_text() {
    assert_eq!(error("a: {b: c"), ("yaml/syntax".to_owned(), Some(Location { line: 1, column: 9 })));
    assert_eq!(error("a: [b"), ("yaml/syntax".to_owned(), Some(Location { line: 1, column: 6 })));
    assert_eq!(error("x: 1\na: { b: [c, d"), ("yaml/syntax".to_owned(), Some(Location { line: 2, column: 14 })));
    // With a final newline, the empty last line is a place in the text.
    assert_eq!(error("a: {b: c\n"), ("yaml/syntax".to_owned(), Some(Location { line: 2, column: 1 })));
}

/// Found by the `validate` fuzz target: YAML breaks lines at `\r` as well,
/// and so do the locations (an editor shows the same lines).
#[test]
fn lines_break_at_carriage_returns_too() {
    assert_eq!(yaml::end_of("a\r\rb\r\nc\nd"), Location { line: 5, column: 2 });
    assert_eq!(yaml::end_of(""), Location { line: 1, column: 1 });
    assert_eq!(error("a: 1\r\rb: {c"), ("yaml/syntax".to_owned(), Some(Location { line: 3, column: 6 })));
}
