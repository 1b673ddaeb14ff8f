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
//!
//! Beyond the original, every source the Framework compiles for a function is
//! moved: ALB target groups, Cognito user pool triggers, function URLs, REST
//! API authorizers, IoT fleet provisioning hooks, EventBridge Scheduler
//! schedules and the asynchronous invocation config (`EventInvokeConfig`).
//! Sources that cannot point at an alias (the Framework's custom resources
//! for `existing: true`, Lambda@Edge associations) are reported instead.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::js::{first_str, for_each_string_leaf, get, truthy};

/// A source that invokes a canary function but cannot be moved to its alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unmovable<'t> {
    /// A Framework custom resource (`existing: true` S3 buckets and Cognito
    /// pools, EventBridge without CloudFormation) that names the function.
    Custom(&'t str, &'t str),
    /// A CloudFront distribution that runs a version at the edge.
    Edge(&'t str),
}

/// The aliases the Framework adds to a function, which its event sources then
/// invoke: logical-ID suffix and alias name. `provisionedConcurrency` adds
/// `<Name>ProvConcLambdaAlias` (`provisioned`), `snapStart` adds
/// `<Name>SnapStartLambdaAlias` (`snapstart`). The Framework refuses both on
/// one function.
pub(crate) const FRAMEWORK_ALIASES: [(&str, &str); 2] =
    [("ProvConcLambdaAlias", "provisioned"), ("SnapStartLambdaAlias", "snapstart")];

/// One of the [`FRAMEWORK_ALIASES`] of a canary function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FrameworkAlias<'t> {
    /// Its logical ID.
    pub id: &'t str,
    /// Its alias name (`provisioned`, `snapstart`).
    pub name: &'static str,
}

/// Which resources each canary function owns, by position in the canary list.
pub(super) struct Index<'t> {
    /// The first `AWS::Lambda::Version` of each function.
    pub versions: Vec<Option<&'t str>>,
    /// `AWS::Lambda::Permission`s that target the function itself.
    pub permissions: Vec<Vec<&'t str>>,
    /// Event-source resources that invoke the function.
    pub sources: Vec<Vec<&'t str>>,
    /// Sources that invoke the function but cannot be moved to the alias.
    pub unmovable: Vec<Vec<Unmovable<'t>>>,
    /// The Framework's alias of the function (`provisioned` or `snapstart`),
    /// when it has one.
    pub provisioned: Vec<Option<FrameworkAlias<'t>>>,
    /// Resources that name that alias (its ARN, a `Ref`, a `DependsOn`), in
    /// template order.
    pub provisioned_users: Vec<Vec<&'t str>>,
}

/// What the index needs to know about the canary functions.
pub(super) struct Functions<'a> {
    /// Logical IDs, by position in the canary list.
    pub logical_ids: Vec<&'a str>,
    /// Logical ID → position in the canary list.
    pub by_logical_id: HashMap<&'a str, usize>,
    /// Deployed function name → position (custom resources name functions so).
    pub by_deployed_name: HashMap<&'a str, usize>,
}

impl<'t> Index<'t> {
    /// One walk over `resources`.
    pub fn build(resources: &'t Map<String, Value>, canaries: &Functions<'_>) -> Self {
        let functions = &canaries.by_logical_id;
        let n = functions.len();
        let mut index = Index {
            versions: vec![None; n],
            permissions: vec![Vec::new(); n],
            sources: vec![Vec::new(); n],
            unmovable: vec![Vec::new(); n],
            provisioned: vec![None; n],
            provisioned_users: vec![Vec::new(); n],
        };
        // Canary functions with a Framework alias: alias → position.
        let mut provisioned: HashMap<&'t str, usize> = HashMap::new();
        for (i, &function) in canaries.logical_ids.iter().enumerate() {
            let Some(normalized) = function.strip_suffix("LambdaFunction") else { continue };
            for (suffix, name) in FRAMEWORK_ALIASES {
                let Some((alias, resource)) = resources.get_key_value(&format!("{normalized}{suffix}")) else {
                    continue;
                };
                if resource.get("Type").and_then(Value::as_str) == Some("AWS::Lambda::Alias")
                    && get(resource, &["Properties", "FunctionName", "Ref"]).and_then(Value::as_str) == Some(function)
                    && index.provisioned[i].is_none()
                {
                    provisioned.insert(alias.as_str(), i);
                    index.provisioned[i] = Some(FrameworkAlias { id: alias.as_str(), name });
                }
            }
        }
        let alias_names: Vec<Option<&str>> = index.provisioned.iter().map(|a| a.map(|a| a.name)).collect();
        let mut all_versions: HashMap<&'t str, usize> = HashMap::new();
        let mut edges: Vec<(&'t str, Vec<&'t str>)> = Vec::new();
        for (id, resource) in resources {
            if !provisioned.is_empty() && !provisioned.contains_key(id.as_str()) {
                let mut users = Vec::new();
                names_provisioned(
                    resource,
                    &provisioned,
                    &|f| functions.get(f).and_then(|&i| Some((i, alias_names[i]?))),
                    &mut users,
                );
                users.dedup();
                for i in users {
                    if index.provisioned_users[i].last() != Some(&id.as_str()) {
                        index.provisioned_users[i].push(id);
                    }
                }
            }
            let (Some(kind), Some(props)) = (resource.get("Type").and_then(Value::as_str), resource.get("Properties"))
            else {
                continue;
            };
            match kind {
                "AWS::Lambda::Version" => {
                    let target = get(props, &["FunctionName", "Ref"]).and_then(Value::as_str);
                    if let Some(&i) = target.and_then(|t| functions.get(t)) {
                        index.versions[i].get_or_insert(id);
                        all_versions.insert(id, i);
                    }
                }
                "Custom::S3" | "Custom::CognitoUserPool" | "Custom::EventBridge" => {
                    let name = props.get("FunctionName").and_then(Value::as_str);
                    if let Some(&i) = name.and_then(|n| canaries.by_deployed_name.get(n)) {
                        index.unmovable[i].push(Unmovable::Custom(id, kind));
                    }
                }
                "AWS::CloudFront::Distribution" => {
                    let mut versions = Vec::new();
                    edge_versions(props, &mut versions);
                    if !versions.is_empty() {
                        edges.push((id, versions));
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
        for (id, versions) in edges {
            let mut owners: Vec<usize> = versions.iter().filter_map(|v| all_versions.get(v).copied()).collect();
            owners.dedup();
            for i in owners {
                if !index.unmovable[i].contains(&Unmovable::Edge(id)) {
                    index.unmovable[i].push(Unmovable::Edge(id));
                }
            }
        }
        index
    }
}

/// `{"Fn::Join": [":", [{"Fn::GetAtt": [function, "Arn"]}, <alias name>]]}`,
/// the ARN the Framework writes for its alias of a function.
fn is_provisioned_arn(value: &Value, function: &str, alias_name: &str) -> bool {
    let Some(Value::Array(join)) = value.get("Fn::Join") else { return false };
    let [separator, Value::Array(parts)] = join.as_slice() else { return false };
    let [arn, Value::String(alias)] = parts.as_slice() else { return false };
    separator == ":" && alias == alias_name && first_str(arn.get("Fn::GetAtt")) == Some(function)
}

/// The functions whose Framework alias `value` names anywhere (by its ARN,
/// or its logical ID in a `Ref` or `DependsOn`): one walk.
/// `provisioned_function` gives a function's position and alias name.
fn names_provisioned(
    value: &Value,
    aliases: &HashMap<&str, usize>,
    provisioned_function: &impl Fn(&str) -> Option<(usize, &'static str)>,
    out: &mut Vec<usize>,
) {
    let functions = provisioned_function;
    match value {
        Value::String(s) => out.extend(aliases.get(s.as_str())),
        Value::Array(items) => items.iter().for_each(|v| names_provisioned(v, aliases, functions, out)),
        Value::Object(map) => {
            let function = first_str(get(value, &["Fn::Join", "1", "0", "Fn::GetAtt"]));
            if let Some((function, (i, alias_name))) = function.and_then(|f| Some((f, functions(f)?)))
                && is_provisioned_arn(value, function, alias_name)
            {
                out.push(i);
            }
            map.values().for_each(|v| names_provisioned(v, aliases, functions, out));
        }
        _ => {}
    }
}

/// Moves everything that names the Framework's alias onto the canary alias:
/// its ARN, `Ref`s and `DependsOn`, and an `EventInvokeConfig` qualifier.
pub(super) fn provisioned_user(
    resource: &mut Value,
    framework: FrameworkAlias<'_>,
    function: &str,
    alias: &str,
    name: &str,
) {
    // The ARN becomes a `Ref` to the alias; the logical ID (in a `Ref`, a
    // `Fn::GetAtt`, …) becomes the alias's.
    fn walk(value: &mut Value, framework: FrameworkAlias<'_>, function: &str, alias: &str) {
        if is_provisioned_arn(value, function, framework.name) {
            *value = alias_ref(alias);
            return;
        }
        match value {
            Value::String(id) if id == framework.id => *id = alias.to_owned(),
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, framework, function, alias)),
            Value::Object(map) => map.values_mut().for_each(|v| walk(v, framework, function, alias)),
            _ => {}
        }
    }
    let provisioned = framework.id;
    if let Some(props) = resource.get_mut("Properties") {
        walk(props, framework, function, alias);
    }
    match resource.get_mut("DependsOn") {
        Some(Value::String(on)) if on == provisioned => *on = alias.to_owned(),
        Some(Value::Array(on)) => {
            for item in on.iter_mut().filter(|item| item.as_str() == Some(provisioned)) {
                *item = Value::String(alias.to_owned());
            }
        }
        _ => {}
    }
    let is_config = resource.get("Type").and_then(Value::as_str) == Some("AWS::Lambda::EventInvokeConfig");
    if let Some(props) = resource.get_mut("Properties").and_then(Value::as_object_mut)
        && is_config
        && props.get("Qualifier").and_then(Value::as_str) == Some(framework.name)
    {
        props.insert("Qualifier".into(), Value::String(name.to_owned()));
    }
}

/// The version logical IDs a CloudFront distribution associates at the edge
/// (`LambdaFunctionARN: {Ref: <Version>}` in any cache behavior).
fn edge_versions<'a>(props: &'a Value, out: &mut Vec<&'a str>) {
    let Some(config) = props.get("DistributionConfig") else { return };
    let default = config.get("DefaultCacheBehavior").into_iter();
    let others = config.get("CacheBehaviors").and_then(Value::as_array).into_iter().flatten();
    for behavior in default.chain(others) {
        let Some(Value::Array(associations)) = behavior.get("LambdaFunctionAssociations") else { continue };
        for association in associations {
            if let Some(version) = get(association, &["LambdaFunctionARN", "Ref"]).and_then(Value::as_str) {
                out.push(version);
            }
        }
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
pub(crate) const SOURCE_KINDS: [&str; 18] = [
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
    "AWS::ApiGateway::Authorizer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::Cognito::UserPool",
    "AWS::Lambda::Url",
    "AWS::IoT::ProvisioningTemplate",
    "AWS::Scheduler::Schedule",
    "AWS::Lambda::EventInvokeConfig",
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
        // Sources the original leaves on the function (canary-plugin.md §3.3).
        "AWS::ApiGateway::Authorizer" => leaves(props.get("AuthorizerUri")),
        "AWS::ElasticLoadBalancingV2::TargetGroup" => each(props.get("Targets"), &["Id", "Fn::GetAtt"], visit),
        "AWS::Cognito::UserPool" => {
            if let Some(Value::Object(triggers)) = props.get("LambdaConfig") {
                for trigger in triggers.values() {
                    let arn = trigger.get("LambdaArn").unwrap_or(trigger);
                    first_str(arn.get("Fn::GetAtt")).into_iter().for_each(&mut *visit);
                }
            }
        }
        "AWS::Lambda::Url" => first_str(get(props, &["TargetFunctionArn", "Fn::GetAtt"])).into_iter().for_each(visit),
        "AWS::IoT::ProvisioningTemplate" => {
            first_str(get(props, &["PreProvisioningHook", "TargetArn", "Fn::GetAtt"])).into_iter().for_each(visit);
        }
        "AWS::Scheduler::Schedule" => {
            first_str(get(props, &["Target", "Arn", "Fn::GetAtt"])).into_iter().for_each(visit)
        }
        "AWS::Lambda::EventInvokeConfig" => {
            if props.get("Qualifier").and_then(Value::as_str) == Some("$LATEST") {
                get(props, &["FunctionName", "Ref"]).and_then(Value::as_str).into_iter().for_each(visit);
            }
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

/// The invocation URI of the alias for HTTP and WebSocket APIs, and for
/// REST API authorizers (which the original left alone).
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

/// The alias an event source moves to.
pub(super) struct Alias<'a> {
    /// Its logical ID, `<Fn>Alias<name>`.
    pub logical_id: &'a str,
    /// Its name, `alias:`.
    pub name: &'a str,
    /// `arn:aws:` in REST integration URIs, as the original writes them.
    pub rest_uri_partition: Partition,
}

/// How an ARN names its partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Partition {
    /// Literally `aws`, as the original writes it (byte-identical output).
    Aws,
    /// `{"Ref": "AWS::Partition"}` (aws-cn, aws-us-gov).
    Pseudo,
}

/// Points an event source at the alias: only the parts that invoke `function`.
pub(super) fn event_source(resource: &mut Value, function: &str, alias: &Alias<'_>) {
    let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_owned();
    if kind == "AWS::Lambda::EventInvokeConfig"
        && let Some(object) = resource.as_object_mut()
    {
        // The qualifier is a plain name: the alias must exist first.
        add_depends_on(object, alias.logical_id);
    }
    let alias_name = alias.name;
    let rest_uri = match alias.rest_uri_partition {
        Partition::Aws => rest_uri(alias.logical_id),
        Partition::Pseudo => v2_uri(alias.logical_id),
    };
    let alias = alias.logical_id;
    let Some(props) = resource.get_mut("Properties").and_then(Value::as_object_mut) else { return };
    match kind.as_str() {
        "AWS::ApiGateway::Method" => {
            if let Some(integration) = props.get_mut("Integration").and_then(Value::as_object_mut) {
                integration.insert("Uri".into(), rest_uri);
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
        "AWS::ApiGateway::Authorizer" => {
            props.insert("AuthorizerUri".into(), v2_uri(alias));
        }
        "AWS::ElasticLoadBalancingV2::TargetGroup" => retarget_items(props.get_mut("Targets"), "Id", function, alias),
        "AWS::Cognito::UserPool" => {
            if let Some(Value::Object(triggers)) = props.get_mut("LambdaConfig") {
                for trigger in triggers.values_mut() {
                    if invokes(Some(trigger), function) {
                        *trigger = alias_ref(alias);
                    } else if let Some(nested) = trigger.as_object_mut()
                        && invokes(nested.get("LambdaArn"), function)
                    {
                        nested.insert("LambdaArn".into(), alias_ref(alias));
                    }
                }
            }
        }
        "AWS::Lambda::Url" if invokes(props.get("TargetFunctionArn"), function) => {
            props.insert("TargetFunctionArn".into(), alias_ref(alias));
        }
        "AWS::IoT::ProvisioningTemplate" => {
            if let Some(hook) = props.get_mut("PreProvisioningHook").and_then(Value::as_object_mut)
                && invokes(hook.get("TargetArn"), function)
            {
                hook.insert("TargetArn".into(), alias_ref(alias));
            }
        }
        "AWS::Scheduler::Schedule" => {
            if let Some(target) = props.get_mut("Target").and_then(Value::as_object_mut)
                && invokes(target.get("Arn"), function)
            {
                target.insert("Arn".into(), alias_ref(alias));
            }
        }
        "AWS::Lambda::EventInvokeConfig" => {
            props.insert("Qualifier".into(), Value::String(alias_name.to_owned()));
        }
        _ => {}
    }
}

/// Adds `id` to a resource's `DependsOn` (a string or a list), once.
pub(super) fn add_depends_on(resource: &mut Map<String, Value>, id: &str) {
    match resource.get_mut("DependsOn") {
        None | Some(Value::Null) => {
            resource.insert("DependsOn".into(), Value::String(id.to_owned()));
        }
        Some(Value::String(one)) if one != id => {
            let first = std::mem::take(one);
            resource.insert("DependsOn".into(), json!([first, id]));
        }
        Some(Value::Array(list)) if !list.iter().any(|v| v.as_str() == Some(id)) => list.push(json!(id)),
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
