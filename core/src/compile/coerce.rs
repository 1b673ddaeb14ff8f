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

/// A scalar → a one-item list where the schema wants a list.
pub(crate) fn array(value: &mut Value) {
    if matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
        *value = Value::Array(vec![value.take()]);
    }
}

/// `"true"`/`"false"` and `1`/`0` → a boolean where the schema wants one.
pub(crate) fn boolean(value: &mut Value) {
    let coerced = match value {
        Value::String(text) if text == "true" => true,
        Value::String(text) if text == "false" => false,
        Value::Number(n) if n.as_f64() == Some(1.0) => true,
        Value::Number(n) if n.as_f64() == Some(0.0) => false,
        _ => return,
    };
    *value = Value::Bool(coerced);
}

/// A number or boolean → its JavaScript string where the schema wants a
/// string (`payload: 2.0` is read as the number 2 and becomes `"2"`).
pub(crate) fn string(value: &mut Value) {
    if matches!(value, Value::Number(_) | Value::Bool(_)) {
        *value = Value::String(crate::js::to_js_string(Some(value)));
    }
}

/// A one-item list → its item where the schema offers a string branch the
/// item matches before the list branch (`anyOf`): an ARN or an abbreviated
/// `execute-api:/` resource. AJV rewrites the data while it tries a branch,
/// so `['*']` and other strings come back as lists.
pub(crate) fn arn_or_list(value: &mut Value) {
    if let Value::Array(items) = value
        && let [Value::String(item)] = items.as_slice()
        && (item.starts_with("arn:") || item.starts_with("execute-api:/"))
    {
        *value = Value::String(item.clone());
    }
}

/// An IAM statement's `Resource`: a one-item list whose item is an ARN or a
/// logical-ID-like string (`^[#A-Za-z0-9-_./]+[*]?$`) → that string, as the
/// schema's string branches come before its list branch; `['*']` and
/// intrinsics stay lists.
pub(crate) fn iam_resource(value: &mut Value) {
    let logical_id = |text: &str| {
        let body = text.strip_suffix('*').unwrap_or(text);
        !body.is_empty() && body.chars().all(|c| c.is_ascii_alphanumeric() || "#-_./".contains(c))
    };
    if let Value::Array(items) = value
        && let [Value::String(item)] = items.as_slice()
        && (item.starts_with("arn:") || logical_id(item))
    {
        *value = Value::String(item.clone());
    }
}

/// A principal's `AWS`: `*` stays, any other scalar → a one-item list.
pub(crate) fn principal_aws(value: &mut Value) {
    if value != "*" {
        array(value);
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
        for key in ["Resource", "NotResource"] {
            let path: Vec<&str> = statements.iter().copied().chain([key]).collect();
            at(config, &path, iam_resource);
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
    // `http` and `websocket` events.
    let event =
        |rest: &[&'static str]| -> Vec<&'static str> { [&["functions", "*", "events", "*"][..], rest].concat() };
    for key in ["headers", "methods", "origins"] {
        at(config, &event(&["http", "cors", key]), array);
    }
    at(config, &event(&["http", "cors", "maxAge"]), integer);
    for key in ["claims", "scopes"] {
        at(config, &event(&["http", "authorizer", key]), array);
    }
    at(config, &event(&["http", "authorizer", "resultTtlInSeconds"]), integer);
    at(config, &event(&["websocket", "authorizer", "identitySource"]), array);
    for key in ["binaryMediaTypes", "apiKeys"] {
        at(config, &["provider", "apiGateway", key], array);
    }
    at(config, &["provider", "apiGateway", "minimumCompressionSize"], integer);
    let policy = ["provider", "apiGateway", "resourcePolicy", "*"];
    let statement = |rest: &[&'static str]| -> Vec<&'static str> { [&policy[..], rest].concat() };
    for key in ["Action", "NotAction"] {
        at(config, &statement(&[key]), array);
    }
    for key in ["Resource", "NotResource"] {
        at(config, &statement(&[key]), arn_or_list);
    }
    at(config, &statement(&["Principal", "AWS"]), principal_aws);
    for key in ["Federated", "Service", "CanonicalUser"] {
        at(config, &statement(&["Principal", key]), array);
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
    api_and_rule_events(config);
}

/// A path under some root, and how the schema rewrites the value there.
type Rewrite = (&'static [&'static str], fn(&mut Value));

/// The keys of httpApi, schedule, eventBridge and cloudwatchEvent events (and
/// `provider.httpApi`) that their schemas would rewrite.
fn api_and_rule_events(config: &mut Value) {
    let rewrites: &[Rewrite] = &[
        (&["schedule", "rate"], array),
        (&["schedule", "enabled"], boolean),
        (&["eventBridge", "enabled"], boolean),
        (&["eventBridge", "retryPolicy", "maximumEventAge"], integer),
        (&["eventBridge", "retryPolicy", "maximumRetryAttempts"], integer),
        (&["cloudwatchEvent", "enabled"], boolean),
        (&["httpApi", "authorizer", "scopes"], array),
    ];
    for (path, rewrite) in rewrites {
        let full: Vec<&str> = ["functions", "*", "events", "*"].iter().chain(path.iter()).copied().collect();
        at(config, &full, *rewrite);
    }
    at(config, &["functions", "*", "httpApi", "payload"], string);
    let http_api: &[Rewrite] = &[
        (&["payload"], string),
        (&["metrics"], boolean),
        (&["disableDefaultEndpoint"], boolean),
        (&["cors", "allowedHeaders"], array),
        (&["cors", "allowedMethods"], array),
        (&["cors", "allowedOrigins"], array),
        (&["cors", "exposedResponseHeaders"], array),
        (&["cors", "allowCredentials"], boolean),
        (&["cors", "maxAge"], integer),
        (&["authorizers", "*", "resultTtlInSeconds"], integer),
    ];
    for (path, rewrite) in http_api {
        let full: Vec<&str> = ["provider", "httpApi"].iter().chain(path.iter()).copied().collect();
        at(config, &full, *rewrite);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rewrites_as_ajv_coerce_types_array() {
        let mut config = json!({
            "provider": {"memorySize": "512", "iam": {"role": {"statements": [
                {"Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"]},
                {"NotAction": ["a"], "Resource": ["*"]},
                {"Resource": [{"Fn::GetAtt": ["T", "Arn"]}], "NotResource": ["MyTable"]}
            ]}}},
            "functions": {"a": {"timeout": "10", "memorySize": "1.5", "environment": {"A": true, "B": 1.5, "C": {"Ref": "X"}}},
                "b": {"timeout": " 3", "tags": {"n": 2}}}
        });
        configuration(&mut config);
        assert_eq!(config["provider"]["memorySize"], json!(512));
        assert_eq!(config["provider"]["iam"]["role"]["statements"][0]["Action"], json!(["s3:GetObject"]));
        assert_eq!(config["provider"]["iam"]["role"]["statements"][1]["NotAction"], json!(["a"]));
        let statements = &config["provider"]["iam"]["role"]["statements"];
        assert_eq!(statements[0]["Resource"], json!("arn:aws:s3:::b/*"));
        assert_eq!(statements[1]["Resource"], json!(["*"]));
        assert_eq!(statements[2]["Resource"], json!([{"Fn::GetAtt": ["T", "Arn"]}]));
        assert_eq!(statements[2]["NotResource"], json!("MyTable"));
        assert_eq!(config["functions"]["a"]["timeout"], json!(10));
        assert_eq!(config["functions"]["a"]["memorySize"], json!("1.5"));
        assert_eq!(config["functions"]["b"]["timeout"], json!(" 3"));
        assert_eq!(config["functions"]["a"]["environment"], json!({"A": "true", "B": "1.5", "C": {"Ref": "X"}}));
        assert_eq!(config["functions"]["b"]["tags"]["n"], json!("2"));
    }

    #[test]
    fn event_keys_are_rewritten_where_their_schemas_say() {
        let mut config = json!({
            "provider": {"httpApi": {"payload": 2.0, "cors": {"allowedOrigins": "https://a.b", "maxAge": "60"}}},
            "functions": {"a": {"events": [
                {"schedule": "rate(1 day)"},
                {"schedule": {"rate": "rate(2 days)", "enabled": "false"}},
                {"eventBridge": {"retryPolicy": {"maximumEventAge": "3600"}}},
                {"httpApi": {"path": "/x", "method": "get", "authorizer": {"name": "a", "scopes": "read"}}}
            ]}}
        });
        configuration(&mut config);
        let events = &config["functions"]["a"]["events"];
        assert_eq!(events[0]["schedule"], json!("rate(1 day)"), "the string form stays a string");
        assert_eq!(events[1]["schedule"], json!({"rate": ["rate(2 days)"], "enabled": false}));
        assert_eq!(events[2]["eventBridge"]["retryPolicy"]["maximumEventAge"], json!(3600));
        assert_eq!(events[3]["httpApi"]["authorizer"]["scopes"], json!(["read"]));
        assert_eq!(config["provider"]["httpApi"]["payload"], json!("2"));
        assert_eq!(config["provider"]["httpApi"]["cors"], json!({"allowedOrigins": ["https://a.b"], "maxAge": 60}));
    }

    #[test]
    fn resource_policies_are_rewritten_as_ajv_does() {
        let mut config = json!({"provider": {"apiGateway": {"resourcePolicy": [
            {"Action": "execute-api:Invoke", "Resource": ["*"], "Principal": {"AWS": "arn:aws:iam::1:root"}},
            {"Resource": ["arn:aws:execute-api:us-east-1:1:x/*"], "Principal": {"AWS": "*", "Service": "a"}},
            {"Resource": ["execute-api:/a", "execute-api:/b"], "NotResource": ["execute-api:/x"]},
            {"Resource": [{"Fn::Sub": "execute-api:/${AWS::Region}"}], "Principal": "*"}
        ]}}});
        configuration(&mut config);
        let statements = &config["provider"]["apiGateway"]["resourcePolicy"];
        assert_eq!(statements[0]["Action"], json!(["execute-api:Invoke"]));
        assert_eq!(statements[0]["Resource"], json!(["*"]));
        assert_eq!(statements[0]["Principal"]["AWS"], json!(["arn:aws:iam::1:root"]));
        assert_eq!(statements[1]["Resource"], json!("arn:aws:execute-api:us-east-1:1:x/*"));
        assert_eq!(statements[1]["Principal"], json!({"AWS": "*", "Service": ["a"]}));
        assert_eq!(statements[2]["Resource"], json!(["execute-api:/a", "execute-api:/b"]));
        assert_eq!(statements[2]["NotResource"], json!("execute-api:/x"));
        assert_eq!(statements[3]["Resource"], json!([{"Fn::Sub": "execute-api:/${AWS::Region}"}]));
        assert_eq!(statements[3]["Principal"], json!("*"));
    }
}
