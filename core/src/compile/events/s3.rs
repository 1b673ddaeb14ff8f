//! `s3` events (`compile/events/s3/index.js`).
//!
//! A bucket the service creates (`s3: photos`, `{ bucket, event, rules }`)
//! becomes one `AWS::S3::Bucket` per bucket name whose
//! `NotificationConfiguration` lists every event of every function on it,
//! and one permission per function and bucket. A bucket may be described in
//! `provider.s3.<ref>` (its `name` and its properties); `resources:` merged
//! later over `S3Bucket<Name>` changes it as the Framework's merge does.
//!
//! An `existing: true` bucket is configured by the Framework's `Custom::S3`
//! resource: one per function, its handler function and the shared
//! custom-resource role ([`custom_resources`]).

use serde_json::{Map, Value, json};

use super::super::custom_resources::{self, EXISTING_S3};
use super::super::{Compiler, placeholder};
use super::sources::{alias_id, event_path, events_of};
use crate::diagnostic;
use crate::js::truthy;
use crate::naming;

/// The event the Framework listens for unless `event:` says otherwise.
const DEFAULT_EVENT: &str = "s3:ObjectCreated:*";

/// Both passes, new buckets first, as the Framework chains them.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    new_buckets(compiler, &functions);
    existing_buckets(compiler, &functions);
    compiler.functions = functions;
}

/// A bucket the service creates: its name, and the `provider.s3` key that
/// describes it.
struct Bucket {
    name: String,
    reference: Option<String>,
    configurations: Vec<Value>,
}

fn new_buckets(compiler: &mut Compiler<'_>, functions: &[super::super::Function<'_>]) {
    let provider_s3 = compiler.provider("s3").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut buckets: Vec<Bucket> = Vec::new();
    // (function index, bucket name), one per event.
    let mut enabled: Vec<(usize, String)> = Vec::new();
    for (position, function) in functions.iter().enumerate() {
        for (index, event) in events_of(function, "s3") {
            let path = event_path(function, index, "s3");
            if event.get("existing").is_some_and(truthy) {
                continue;
            }
            let mut notification = json!(DEFAULT_EVENT);
            let mut filter = None;
            let reference = match event {
                Value::Object(settings) => {
                    let bucket = settings.get("bucket");
                    if matches!(bucket, Some(Value::Object(_) | Value::Array(_))) {
                        compiler.diagnostics.push(diagnostic::s3_bucket_intrinsic(format!("{path}.bucket")));
                        continue;
                    }
                    if let Some(name) = settings.get("event").filter(|v| truthy(v)) {
                        notification = name.clone();
                    }
                    if let Some(rules) = settings.get("rules").filter(|v| truthy(v)) {
                        let Value::Array(rules) = rules else {
                            let what = "`rules` must be a list";
                            compiler.diagnostics.push(diagnostic::event_value_unusable(format!("{path}.rules"), what));
                            continue;
                        };
                        let rules: Vec<Value> = rules
                            .iter()
                            .map(|rule| match rule.as_object().and_then(|r| r.iter().next()) {
                                Some((name, value)) => json!({"Name": name, "Value": value}),
                                None => json!({}),
                            })
                            .collect();
                        filter = Some(json!({"S3Key": {"Rules": rules}}));
                    }
                    bucket.and_then(Value::as_str)
                }
                Value::String(name) => Some(name.as_str()),
                _ => None,
            };
            let Some(reference) = reference else {
                let what = "the bucket's name must be a string";
                compiler.diagnostics.push(diagnostic::event_value_unusable(path, what));
                continue;
            };
            let described = provider_s3.get(reference).filter(|v| truthy(v));
            let name = match described.and_then(|b| b.get("name")).filter(|v| truthy(v)) {
                Some(name) => crate::js::to_js_string(Some(name)),
                None => reference.to_owned(),
            };
            if !valid_bucket_name(&name) {
                compiler.diagnostics.push(diagnostic::s3_bucket_name_invalid(path, &name));
                continue;
            }
            let mut configuration = Map::new();
            configuration.insert("Event".into(), notification);
            configuration.insert("Function".into(), function.target());
            if let Some(filter) = filter {
                configuration.insert("Filter".into(), filter);
            }
            let described_reference = described.map(|_| reference.to_owned());
            match buckets.iter_mut().find(|b| b.name == name) {
                Some(bucket) => {
                    bucket.configurations.push(Value::Object(configuration));
                    if described_reference.is_some() {
                        bucket.reference = described_reference;
                    }
                }
                None => buckets.push(Bucket {
                    name: name.clone(),
                    reference: described_reference,
                    configurations: vec![Value::Object(configuration)],
                }),
            }
            enabled.push((position, name));
        }
    }
    // A JavaScript object's own keys: integer-like ones first, ascending.
    buckets.sort_by_key(|bucket| array_index(&bucket.name).map_or((1, 0), |i| (0, i)));

    let permission_id = |buckets: &[Bucket], position: usize, name: &str| {
        let key = buckets.iter().find(|b| b.name == name).and_then(|b| b.reference.as_deref()).unwrap_or(name);
        format!("{}LambdaPermission{}S3", functions[position].normalized, naming::alphanumeric_only(key))
    };
    for bucket in &buckets {
        let mut settings = Map::new();
        if let Some(reference) = &bucket.reference
            && let Some(Value::Object(described)) = provider_s3.get(reference)
        {
            for (key, value) in described {
                if key != "name" {
                    settings.insert(naming::upper_first(key), value.clone());
                }
            }
        }
        let provided = settings.shift_remove("NotificationConfiguration");
        let mut notification = Map::new();
        notification.insert("LambdaConfigurations".into(), Value::Array(bucket.configurations.clone()));
        if let Some(Value::Object(provided)) = provided {
            notification.extend(provided);
        }
        let mut properties = Map::new();
        properties.insert("BucketName".into(), json!(bucket.name));
        properties.insert("NotificationConfiguration".into(), Value::Object(notification));
        properties.extend(settings);
        let mut depends = Vec::new();
        for (position, _) in enabled.iter().filter(|(_, name)| *name == bucket.name) {
            depends.push(json!(permission_id(&buckets, *position, &bucket.name)));
            depends.extend(alias_id(&functions[*position]).map(Value::String));
        }
        let id = format!("S3Bucket{}", naming::alphanumeric_only(bucket.reference.as_deref().unwrap_or(&bucket.name)));
        compiler
            .merge_resource(&id, json!({"Type": "AWS::S3::Bucket", "Properties": properties, "DependsOn": depends}));
    }
    for (position, name) in &enabled {
        let function = &functions[*position];
        let mut properties = Map::new();
        properties.insert(
            "SourceArn".into(),
            json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":s3:::{name}")]]}),
        );
        properties.insert("SourceAccount".into(), json!({"Ref": "AWS::AccountId"}));
        let id = permission_id(&buckets, *position, name);
        compiler.merge_resource(&id, function.permission("s3.amazonaws.com", properties));
    }
}

fn existing_buckets(compiler: &mut Compiler<'_>, functions: &[super::super::Function<'_>]) {
    let mut statements = Vec::new();
    let mut any = false;
    // Each bucket (as `JSON.stringify` writes an intrinsic) and its `Custom::S3` resources.
    let mut per_bucket: Vec<(String, Vec<String>)> = Vec::new();
    let handler_id = EXISTING_S3.logical_id();
    for function in functions {
        let mut count = 0;
        let mut current: Option<String> = None;
        for (index, event) in events_of(function, "s3") {
            let Value::Object(settings) = event else { continue };
            if !settings.get("existing").is_some_and(truthy) {
                continue;
            }
            let path = event_path(function, index, "s3");
            let Some(bucket) = settings.get("bucket").filter(|b| b.is_string() || b.is_object() || b.is_array()) else {
                let what = "an existing bucket needs `bucket:`, its name or an intrinsic function";
                compiler.diagnostics.push(diagnostic::event_value_unusable(path, what));
                continue;
            };
            if custom_resources::function_name(compiler, &EXISTING_S3).is_none() {
                compiler.diagnostics.push(diagnostic::unsupported_key(format!("{path}.existing"), "existing"));
                continue;
            }
            count += 1;
            let key = match bucket {
                Value::String(name) => name.clone(),
                other => serde_json::to_string(other).unwrap_or_default(),
            };
            match &current {
                None => current = Some(key.clone()),
                Some(first) if *first != key => {
                    let diagnostic =
                        diagnostic::s3_existing_buckets_per_function(format!("{path}.bucket"), first, &key);
                    compiler.diagnostics.push(diagnostic);
                    continue;
                }
                Some(_) => {}
            }
            any = true;
            let rules: Vec<Value> = match settings.get("rules").filter(|v| truthy(v)) {
                None => Vec::new(),
                Some(Value::Array(rules)) => rules
                    .iter()
                    .map(|rule| match rule.as_object().and_then(|r| r.iter().next()) {
                        Some((key, value)) => json!({ start_case(key): value }),
                        None => json!({"": null}),
                    })
                    .collect(),
                Some(_) => {
                    let what = "`rules` must be a list";
                    compiler.diagnostics.push(diagnostic::event_value_unusable(format!("{path}.rules"), what));
                    continue;
                }
            };
            let notification = settings.get("event").filter(|v| truthy(v)).cloned().unwrap_or(json!(DEFAULT_EVENT));
            let id = format!("{}CustomS31", function.normalized);
            match per_bucket.iter_mut().find(|(b, _)| *b == key) {
                Some((_, ids)) if !ids.contains(&id) => ids.push(id.clone()),
                Some(_) => {}
                None => per_bucket.push((key.clone(), vec![id.clone()])),
            }
            let configuration = json!({"Event": notification, "Rules": rules});
            if count == 1 {
                let mut properties = Map::new();
                properties.insert("ServiceToken".into(), json!({"Fn::GetAtt": [handler_id, "Arn"]}));
                properties.insert("FunctionName".into(), json!(function.name));
                properties.insert("BucketName".into(), bucket.clone());
                properties.insert("BucketConfigs".into(), json!([configuration]));
                if settings.get("forceDeploy").is_some_and(truthy) {
                    properties.insert("ForceDeploy".into(), json!(placeholder::FORCE_DEPLOY));
                }
                compiler.merge_resource(
                    &id,
                    json!({
                        "Type": "Custom::S3",
                        "Version": 1,
                        "DependsOn": [function.logical_id, handler_id],
                        "Properties": properties
                    }),
                );
                statements.push(json!({
                    "Effect": "Allow",
                    "Resource": {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "s3", "", "", bucket]]},
                    "Action": ["s3:PutBucketNotification", "s3:GetBucketNotification"]
                }));
            } else if let Some(Value::Array(configs)) =
                compiler.resources.get_mut(&id).and_then(|r| r.pointer_mut("/Properties/BucketConfigs"))
            {
                configs.push(configuration);
            }
        }
    }
    if any {
        statements.push(json!({
            "Effect": "Allow",
            "Resource": {"Fn::Join": [":", [
                "arn", {"Ref": "AWS::Partition"}, "lambda", {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}, "function", "*"
            ]]},
            "Action": ["lambda:AddPermission", "lambda:RemovePermission"]
        }));
    }
    for (_, ids) in &per_bucket {
        for pair in ids.windows(2) {
            if let Some(Value::Array(depends)) =
                compiler.resources.get_mut(&pair[1]).and_then(|r| r.get_mut("DependsOn"))
            {
                depends.push(json!(pair[0]));
            }
        }
    }
    if !statements.is_empty() {
        custom_resources::add(compiler, &EXISTING_S3, statements);
    }
}

/// The Framework's `awsS3BucketName` pattern: dot-separated labels of
/// lower-case letters, digits and inner `-`, and not an IPv4 address.
fn valid_bucket_name(name: &str) -> bool {
    let label_ok = |label: &str| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            && bytes.first() != Some(&b'-')
            && bytes.last() != Some(&b'-')
    };
    let labels: Vec<&str> = name.split('.').collect();
    let looks_like_ip =
        labels.len() == 4 && labels.iter().all(|l| (1..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_digit()));
    labels.iter().all(|l| label_ok(l)) && !looks_like_ip
}

/// A canonical array index (`"0"`, `"17"`, not `"07"`), which a JavaScript
/// object lists before its other keys.
fn array_index(key: &str) -> Option<u64> {
    let index: u64 = key.parse().ok()?;
    (index < u64::from(u32::MAX) && index.to_string() == key).then_some(index)
}

/// `_.startCase` for a rule's key: words split at case changes, digits and
/// separators, each with its first letter upper-cased, joined by spaces
/// (`prefix` → `Prefix`).
fn start_case(key: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous: Option<char> = None;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous = None;
            continue;
        }
        let boundary = match previous {
            Some(p) => (p.is_ascii_lowercase() && c.is_ascii_uppercase()) || (p.is_ascii_digit() != c.is_ascii_digit()),
            None => false,
        };
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
        previous = Some(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.iter().map(|w| naming::upper_first(w)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_the_framework_pattern() {
        for good in ["photos", "my-bucket.v2", "a", "123", "1.2.3"] {
            assert!(valid_bucket_name(good), "{good}");
        }
        for bad in ["Photos", "-photos", "photos-", "my_bucket", "a..b", "192.168.0.1", ""] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn rule_keys_are_start_cased() {
        assert_eq!(start_case("prefix"), "Prefix");
        assert_eq!(start_case("suffix"), "Suffix");
        assert_eq!(start_case("keyPrefix"), "Key Prefix");
        assert_eq!(start_case("key_prefix"), "Key Prefix");
    }

    #[test]
    fn integer_like_keys_come_first() {
        assert_eq!(array_index("17"), Some(17));
        assert_eq!(array_index("07"), None);
        assert_eq!(array_index("photos"), None);
    }
}
