//! The Framework validates serverless.yml with AJV and `coerceTypes:
//! 'array'`, which rewrites the configuration before any compiler reads it:
//! a scalar where the schema wants a list becomes a one-item list, and a
//! numeric string where it wants an integer becomes a number. canaria
//! applies the same rewrites to the keys it compiles, so the template says
//! what `sls package` writes.

use serde_json::{Number, Value};

/// `"512"` → `512` where the schema wants an integer (a whole number only).
pub(crate) fn integer(value: &mut Value) {
    if let Value::String(text) = value
        && let Ok(number) = text.trim().parse::<i64>()
        && !text.trim().is_empty()
        && text.trim() == text
    {
        *value = Value::Number(Number::from(number));
    }
}

/// A number or boolean → its JavaScript string where the schema wants a
/// string.
pub(crate) fn string(value: &mut Value) {
    match value {
        Value::Bool(b) => *value = Value::String(b.to_string()),
        Value::Number(n) => {
            let text = n.as_f64().map_or_else(|| n.to_string(), crate::js::number_to_string);
            *value = Value::String(text);
        }
        _ => {}
    }
}

/// A scalar → a one-item list where the schema wants a list.
pub(crate) fn array(value: &mut Value) {
    if matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
        *value = Value::Array(vec![value.take()]);
    }
}

/// Applies `rewrite` to the value at `path` (object keys; `*` is every key
/// of an object or every item of a list), where it exists.
pub(crate) fn at(value: &mut Value, path: &[&str], rewrite: fn(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        if !value.is_null() {
            rewrite(value);
        }
        return;
    };
    match (value, *first) {
        (Value::Object(map), "*") => map.values_mut().for_each(|v| at(v, rest, rewrite)),
        (Value::Array(items), "*") => items.iter_mut().for_each(|v| at(v, rest, rewrite)),
        (Value::Object(map), key) => {
            if let Some(next) = map.get_mut(key) {
                at(next, rest, rewrite);
            }
        }
        _ => {}
    }
}

/// The provider and function keys the core compile reads.
pub(super) fn configuration(config: &mut Value) {
    for statements in [&["provider", "iam", "role", "statements", "*"][..], &["provider", "iamRoleStatements", "*"]] {
        for key in ["Action", "NotAction"] {
            let path: Vec<&str> = statements.iter().copied().chain([key]).collect();
            at(config, &path, array);
        }
    }
    for key in ["memorySize", "timeout", "logRetentionInDays"] {
        at(config, &["provider", key], integer);
    }
    // Environment values and tags are strings.
    for path in [
        &["provider", "environment", "*"][..],
        &["functions", "*", "environment", "*"],
        &["provider", "tags", "*"],
        &["functions", "*", "tags", "*"],
        &["provider", "iam", "role", "tags", "*"],
        &["provider", "deploymentBucket", "tags", "*"],
    ] {
        at(config, path, string);
    }
    for key in [
        "memorySize",
        "timeout",
        "logRetentionInDays",
        "reservedConcurrency",
        "provisionedConcurrency",
        "maximumEventAge",
        "maximumRetryAttempts",
        "ephemeralStorageSize",
    ] {
        at(config, &["functions", "*", key], integer);
    }
    let events = |config: &mut Value, event: &str, keys: &[&str], rewrite: fn(&mut Value)| {
        for key in keys {
            at(config, &["functions", "*", "events", "*", event, key], rewrite);
        }
    };
    events(config, "sqs", &["batchSize", "maximumBatchingWindow", "maximumConcurrency"], integer);
    events(config, "sqs", &["filterPatterns"], array);
    let stream = [
        "batchSize",
        "parallelizationFactor",
        "batchWindow",
        "maximumRetryAttempts",
        "maximumRecordAgeInSeconds",
        "tumblingWindowInSeconds",
    ];
    events(config, "stream", &stream, integer);
    events(config, "stream", &["filterPatterns"], array);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rewrites_as_ajv_coerce_types_array() {
        let mut config = json!({
            "provider": {"memorySize": "512", "iam": {"role": {"statements": [{"Action": "s3:GetObject"}, {"NotAction": ["a"]}]}}},
            "functions": {"a": {"timeout": "10", "memorySize": "1.5", "environment": {"A": true, "B": 1.5, "C": {"Ref": "X"}}},
                "b": {"timeout": " 3", "tags": {"n": 2}}}
        });
        configuration(&mut config);
        assert_eq!(config["provider"]["memorySize"], json!(512));
        assert_eq!(config["provider"]["iam"]["role"]["statements"][0]["Action"], json!(["s3:GetObject"]));
        assert_eq!(config["provider"]["iam"]["role"]["statements"][1]["NotAction"], json!(["a"]));
        assert_eq!(config["functions"]["a"]["timeout"], json!(10));
        assert_eq!(config["functions"]["a"]["memorySize"], json!("1.5"));
        assert_eq!(config["functions"]["b"]["timeout"], json!(" 3"));
        assert_eq!(config["functions"]["a"]["environment"], json!({"A": "true", "B": "1.5", "C": {"Ref": "X"}}));
        assert_eq!(config["functions"]["b"]["tags"]["n"], json!("2"));
    }
}
