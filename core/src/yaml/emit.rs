//! Writes a JSON value as block-style YAML, for `compile --format yaml` and
//! the editor's YAML view. The output reads back (with js-yaml 4, and with
//! canaria's own reader) as exactly the value written.

use std::fmt::Write as _;

use serde_json::Value;

/// YAML text for `value`, two-space indented, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    out.extend(std::iter::repeat_n("  ", depth));
}

fn mapping(out: &mut String, map: &serde_json::Map<String, Value>, depth: usize) {
    for (key, value) in map {
        indent(out, depth);
        out.push_str(&string(key));
        out.push(':');
        nested(out, value, depth + 1);
    }
}

fn sequence(out: &mut String, items: &[Value], depth: usize) {
    for item in items {
        indent(out, depth);
        out.push('-');
        match item {
            // A mapping in a list starts on the dash's line.
            Value::Object(map) if !map.is_empty() => {
                let mut first = true;
                for (key, value) in map {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(out, depth + 1);
                    }
                    out.push_str(&string(key));
                    out.push(':');
                    nested(out, value, depth + 2);
                }
            }
            _ => nested(out, item, depth + 1),
        }
    }
}

/// What follows `key:` or `-`: a scalar on the same line, or a block below.
fn nested(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            mapping(out, map, depth);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(out, items, depth);
        }
        scalar => {
            let _ = writeln!(out, " {}", inline(scalar));
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// A string plain when it reads back as itself, else double-quoted with
/// JSON's escapes (a JSON string is a valid YAML double-quoted scalar).
fn string(text: &str) -> String {
    if plain_is_safe(text) { text.to_owned() } else { Value::String(text.to_owned()).to_string() }
}

fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    let ok_chars = text.chars().all(|c| c.is_ascii_alphanumeric() || " _-./:()$@=+,;<>~^*#!%&?|'".contains(c));
    let no_indicator_start = !"-?:,[]{}#&*!|>'\"%@` ".contains(first);
    let structured = text.contains(": ") || text.contains(" #") || text.ends_with(':') || text.ends_with(' ');
    // YAML 1.1 readers take these as booleans: quote them for every reader.
    let yaml11_bool =
        matches!(text.to_ascii_lowercase().as_str(), "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false");
    ok_chars
        && no_indicator_start
        && !structured
        && !yaml11_bool
        && super::scalar::resolve_plain(text) == Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(value: Value) {
        let text = to_yaml(&value);
        let read = crate::yaml::load(&text).map(|s| s.value);
        assert_eq!(read.ok(), Some(value), "through:\n{text}");
    }

    #[test]
    fn writes_block_yaml() {
        let value = json!({"Resources": {"A": {"Type": "AWS::S3::Bucket", "DependsOn": ["B", "C"],
            "Properties": {"Tags": [{"Key": "k", "Value": "v"}], "Empty": {}, "None": []}}}});
        assert_eq!(
            to_yaml(&value),
            "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    DependsOn:\n      - B\n      - C\n    Properties:\n      Tags:\n        - Key: k\n          Value: v\n      Empty: {}\n      None: []\n"
        );
    }

    #[test]
    fn strings_that_would_read_as_something_else_are_quoted() {
        for text in [
            "true",
            "no",
            "Yes",
            "null",
            "~",
            "1",
            "0x1f",
            "1e3",
            ".inf",
            "2024-01-01",
            "",
            " a",
            "a: b",
            "a #b",
            "- x",
            "*x",
            "!Ref",
            "{a}",
            "line\nbreak",
            "tab\there",
            "quote\"s",
            "ünïcode",
            "${AWS::Region}",
        ] {
            round_trip(json!({ text: text }));
            round_trip(json!([text]));
        }
        assert_eq!(string("arn:aws:s3:::bucket/*"), "arn:aws:s3:::bucket/*");
        assert_eq!(string("rate(5 minutes)"), "rate(5 minutes)");
        assert_eq!(string("true"), "\"true\"");
    }

    #[test]
    fn values_round_trip() {
        round_trip(json!({"a": [1, 2.5, -3, true, null, {"b": [[], {}, [1, [2]]]}], "c": {"d": {"e": "f"}}}));
        round_trip(json!([[{"a": 1}, {"b": [{"c": 2}]}]]));
        round_trip(json!("scalar"));
        round_trip(json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}]]}));
    }
}
