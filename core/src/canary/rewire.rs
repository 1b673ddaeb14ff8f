//! Moving permissions and event sources from a function onto its alias.
//!
//! The template is indexed once: each resource is attributed to the canary
//! functions it invokes, so the pass costs one walk over `Resources` however
//! many functions there are. (The original plugin re-scans every resource for
//! every function and every source type, which is quadratic.)
//!
//! Matchers reproduce the original's attribution rules per resource type.
//! Rewrites are cumulative: when several canary functions share one resource
//! (an SNS topic, an S3 bucket), each function's rewrite starts from the
//! previous one's, so no function falls back to `$LATEST`.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::js::{first_str, for_each_string_leaf, get, truthy};

/// Which resources each canary function owns, by position in the canary list.
pub(super) struct Index<'t> {
    /// The first `AWS::Lambda::Version` of each function.
    pub versions: Vec<Option<&'t str>>,
    /// `AWS::Lambda::Permission`s that target the function itself.
    pub permissions: Vec<Vec<&'t str>>,
    /// Event-source resources that invoke the function.
    pub sources: Vec<Vec<&'t str>>,
}

impl<'t> Index<'t> {
    /// One walk over `resources`; `functions` maps a function's logical ID to
    /// its position in the canary list.
    pub fn build(resources: &'t Map<String, Value>, functions: &HashMap<&str, usize>) -> Self {
        let n = functions.len();
        let mut index =
            Index { versions: vec![None; n], permissions: vec![Vec::new(); n], sources: vec![Vec::new(); n] };
        for (id, resource) in resources {
            let (Some(kind), Some(props)) = (resource.get("Type").and_then(Value::as_str), resource.get("Properties"))
            else {
                continue;
            };
            match kind {
                "AWS::Lambda::Version" => {
                    let target = get(props, &["FunctionName", "Ref"]).and_then(Value::as_str);
                    if let Some(&i) = target.and_then(|t| functions.get(t)) {
                        index.versions[i].get_or_insert(id);
                    }
                }
                "AWS::Lambda::Permission" => {
                    if let Some(&i) = permission_target(props).and_then(|t| functions.get(t)) {
                        index.permissions[i].push(id);
                    }
                }
                _ => {
                    let mut owners: Vec<usize> = Vec::new();
                    source_targets(kind, props, &mut |target| {
                        if let Some(&i) = functions.get(target)
                            && !owners.contains(&i)
                        {
                            owners.push(i);
                        }
                    });
                    for i in owners {
                        index.sources[i].push(id);
                    }
                }
            }
        }
        index
    }
}

/// The function a permission grants on: `Fn::GetAtt[0]` when set, else `Ref`.
fn permission_target(props: &Value) -> Option<&str> {
    let name = props.get("FunctionName")?;
    match get(name, &["Fn::GetAtt", "0"]).filter(|v| truthy(v)) {
        Some(target) => target.as_str(),
        None => name.get("Ref").and_then(Value::as_str),
    }
}

/// The event-source resource types [`source_targets`] attributes to
/// functions. Of every other type only the `Type` is read (see `crate::input`).
pub(crate) const SOURCE_KINDS: [&str; 11] = [
    "AWS::ApiGateway::Method",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Authorizer",
    "AWS::Lambda::EventSourceMapping",
    "AWS::SNS::Topic",
    "AWS::S3::Bucket",
    "AWS::Events::Rule",
    "AWS::Logs::SubscriptionFilter",
    "AWS::SNS::Subscription",
    "AWS::IoT::TopicRule",
    "AWS::AppSync::DataSource",
];

/// Calls `visit` with every logical ID the source resource could attribute
/// itself to, following the original's matcher for `kind`.
fn source_targets<'a>(kind: &str, props: &'a Value, visit: &mut impl FnMut(&'a str)) {
    // `flat(x)` + `_.includes(fn)`: any string leaf inside an object or list.
    let mut leaves = |value: Option<&'a Value>| {
        if let Some(value @ (Value::Object(_) | Value::Array(_))) = value {
            for_each_string_leaf(value, visit);
        }
    };
    match kind {
        "AWS::ApiGateway::Method" => leaves(props.get("Integration")),
        "AWS::ApiGatewayV2::Integration" => leaves(props.get("IntegrationUri")),
        "AWS::ApiGatewayV2::Authorizer" => leaves(props.get("AuthorizerUri")),
        "AWS::Lambda::EventSourceMapping" => leaves(props.get("FunctionName")),
        "AWS::SNS::Topic" => each(props.get("Subscription"), &["Endpoint", "Fn::GetAtt"], visit),
        "AWS::S3::Bucket" => {
            each(get(props, &["NotificationConfiguration", "LambdaConfigurations"]), &["Function", "Fn::GetAtt"], visit)
        }
        "AWS::Events::Rule" => each(props.get("Targets"), &["Arn", "Fn::GetAtt"], visit),
        "AWS::Logs::SubscriptionFilter" => {
            if let Some(Value::Array(args)) = get(props, &["DestinationArn", "Fn::GetAtt"]) {
                args.iter().filter_map(Value::as_str).for_each(visit);
            }
        }
        "AWS::SNS::Subscription" => first_str(get(props, &["Endpoint", "Fn::GetAtt"])).into_iter().for_each(visit),
        "AWS::IoT::TopicRule" => {
            if let Some(Value::Array(actions)) = get(props, &["TopicRulePayload", "Actions"]) {
                for action in actions {
                    first_str(get(action, &["Lambda", "FunctionArn", "Fn::GetAtt"])).into_iter().for_each(&mut *visit);
                }
            }
        }
        "AWS::AppSync::DataSource" => {
            first_str(get(props, &["LambdaConfig", "LambdaFunctionArn", "Fn::GetAtt"])).into_iter().for_each(visit);
        }
        _ => debug_assert!(!SOURCE_KINDS.contains(&kind), "{kind} is listed but not matched"),
    }
}

/// `_.map(_.prop(path))` + `_.flatten` + `_.includes(fn)` over a list of items:
/// the `Fn::GetAtt` arguments of each item, or the whole string form.
fn each<'a>(items: Option<&'a Value>, path: &[&str], visit: &mut impl FnMut(&'a str)) {
    let Some(Value::Array(items)) = items else { return };
    for item in items {
        match get(item, path) {
            Some(Value::Array(args)) => args.iter().filter_map(Value::as_str).for_each(&mut *visit),
            Some(Value::String(whole)) => visit(whole),
            _ => {}
        }
    }
}

/// Rewrites resource `id`, starting from the plan's copy when an earlier
/// function already rewrote it, else from the template's.
pub(super) fn rewrite(
    out: &mut Map<String, Value>,
    template: &Map<String, Value>,
    id: &str,
    edit: impl FnOnce(&mut Value),
) {
    if !out.contains_key(id) {
        let Some(original) = template.get(id) else { return };
        out.insert(id.to_owned(), original.clone());
    }
    if let Some(resource) = out.get_mut(id) {
        edit(resource);
    }
}

/// `{"Ref": alias}`.
fn alias_ref(alias: &str) -> Value {
    json!({"Ref": alias})
}

/// The invocation URI of the alias for REST APIs. The partition is written as
/// `aws`, as the original plugin writes it, so existing stacks stay unchanged.
fn rest_uri(alias: &str) -> Value {
    json!({"Fn::Join": ["", [
        "arn:aws:apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/",
        {"Ref": alias}, "/invocations"
    ]]})
}

/// The invocation URI of the alias for HTTP and WebSocket APIs.
fn v2_uri(alias: &str) -> Value {
    json!({"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
        ":lambda:path/2015-03-31/functions/", {"Ref": alias}, "/invocations"
    ]]})
}

/// Points an `AWS::Lambda::Permission` at the alias.
pub(super) fn permission(resource: &mut Value, alias: &str) {
    if let Some(props) = resource.get_mut("Properties").and_then(Value::as_object_mut) {
        props.insert("FunctionName".into(), alias_ref(alias));
    }
}

/// Whether `value` is `{"Fn::GetAtt": [function, ...]}`.
fn invokes(value: Option<&Value>, function: &str) -> bool {
    first_str(value.and_then(|v| v.get("Fn::GetAtt"))) == Some(function)
}

/// Points an event source at the alias: only the parts that invoke `function`.
pub(super) fn event_source(resource: &mut Value, function: &str, alias: &str) {
    let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_owned();
    let Some(props) = resource.get_mut("Properties").and_then(Value::as_object_mut) else { return };
    match kind.as_str() {
        "AWS::ApiGateway::Method" => {
            if let Some(integration) = props.get_mut("Integration").and_then(Value::as_object_mut) {
                integration.insert("Uri".into(), rest_uri(alias));
            }
        }
        "AWS::ApiGatewayV2::Integration" => {
            props.insert("IntegrationUri".into(), v2_uri(alias));
        }
        "AWS::ApiGatewayV2::Authorizer" => {
            props.insert("AuthorizerUri".into(), v2_uri(alias));
        }
        "AWS::Lambda::EventSourceMapping" => {
            props.insert("FunctionName".into(), alias_ref(alias));
        }
        "AWS::SNS::Topic" => {
            if let Some(Value::Array(subscriptions)) = props.get_mut("Subscription") {
                subscriptions.retain(|s| !invokes(s.get("Endpoint"), function));
                subscriptions.push(json!({"Endpoint": {"Ref": alias}, "Protocol": "lambda"}));
            }
        }
        "AWS::SNS::Subscription"
            if props.get("Protocol").and_then(Value::as_str) == Some("lambda")
                && invokes(props.get("Endpoint"), function) =>
        {
            props.insert("Endpoint".into(), alias_ref(alias));
        }
        "AWS::S3::Bucket" => {
            let configs = props.get_mut("NotificationConfiguration").and_then(|n| n.get_mut("LambdaConfigurations"));
            retarget_items(configs, "Function", function, alias);
        }
        "AWS::Events::Rule" => retarget_items(props.get_mut("Targets"), "Arn", function, alias),
        "AWS::Logs::SubscriptionFilter" if invokes(props.get("DestinationArn"), function) => {
            props.insert("DestinationArn".into(), alias_ref(alias));
        }
        "AWS::IoT::TopicRule" => {
            if let Some(Value::Array(actions)) = props.get_mut("TopicRulePayload").and_then(|p| p.get_mut("Actions")) {
                for action in actions {
                    if let Some(lambda) = action.get_mut("Lambda").and_then(Value::as_object_mut)
                        && invokes(lambda.get("FunctionArn"), function)
                    {
                        lambda.insert("FunctionArn".into(), alias_ref(alias));
                    }
                }
            }
        }
        "AWS::AppSync::DataSource" => {
            let lambda = props.get("Type").and_then(Value::as_str) == Some("AWS_LAMBDA");
            if lambda && invokes(props.get("LambdaConfig").and_then(|c| c.get("LambdaFunctionArn")), function) {
                props.insert("LambdaConfig".into(), json!({"LambdaFunctionArn": {"Ref": alias}}));
            }
        }
        _ => {}
    }
}

/// In a list of objects, points `key` at the alias wherever it invokes `function`.
fn retarget_items(items: Option<&mut Value>, key: &str, function: &str, alias: &str) {
    let Some(Value::Array(items)) = items else { return };
    for item in items.iter_mut().filter_map(Value::as_object_mut) {
        if invokes(item.get(key), function) {
            item.insert(key.into(), alias_ref(alias));
        }
    }
}
