//! `http` events: the REST API (`api-gateway/index.js`), compiled in the
//! Framework's order — the API, its resource tree, CORS preflights, methods,
//! request validators, authorizers, the deployment, API keys, usage plans and
//! their keys, Lambda permissions, and the stage's log group.

mod keys;
mod method;
mod validate;

use serde_json::{Map, Value, json};

use super::super::{Compiler, placeholder};
use crate::diagnostic;
use crate::js::truthy;
use crate::naming;

use validate::Validated;

/// Logical ID of the REST API.
const REST_API: &str = "ApiGatewayRestApi";

/// What the steps share, as the Framework's plugin instance holds it.
pub(super) struct Api {
    /// `provider.apiGateway.restApiId`, else `{Ref: ApiGatewayRestApi}`.
    rest_api_id: Value,
    /// `provider.apiGateway.restApiRootResourceId`, else the API's root.
    root_id: Value,
    /// The resource tree, by path: its name and `{Ref}`.
    resources: Vec<(String, String, Value)>,
    /// Every method compiled, CORS preflights first (duplicates kept).
    method_ids: Vec<String>,
    /// `ApiGatewayDeployment<clock>`.
    deployment_id: String,
}

impl Api {
    /// `getResourceName`: `''` for the root.
    fn resource_name(&self, path: &str) -> String {
        if path.is_empty() {
            return String::new();
        }
        self.resources.iter().find(|(p, ..)| p == path).map(|(_, name, _)| name.clone()).unwrap_or_default()
    }

    /// `getResourceId`: the root's ID for `''`.
    fn resource_id(&self, path: &str) -> Value {
        if path.is_empty() {
            return self.root_id.clone();
        }
        self.resources.iter().find(|(p, ..)| p == path).map_or(Value::Null, |(.., id)| id.clone())
    }
}

/// `naming.getMethodLogicalId`.
fn method_logical_id(resource_name: &str, method: &str) -> String {
    format!("ApiGatewayMethod{resource_name}{}", naming::upper_first(&method.to_lowercase()))
}

/// `naming.getLambdaApiGatewayPermissionLogicalId`.
fn permission_logical_id(function_key: &str) -> String {
    format!("{}LambdaPermissionApiGateway", naming::normalized_resource_name(function_key))
}

/// `{Fn::Join: ['', ['arn:', Partition, ':apigateway:', Region, ':lambda:path/2015-03-31/functions/', target, '/invocations']]}`.
pub(super) fn invocation_uri(target: &[Value]) -> Value {
    let mut parts = vec![
        json!("arn:"),
        json!({"Ref": "AWS::Partition"}),
        json!(":apigateway:"),
        json!({"Ref": "AWS::Region"}),
        json!(":lambda:path/2015-03-31/functions/"),
    ];
    parts.extend_from_slice(target);
    parts.push(json!("/invocations"));
    json!({"Fn::Join": ["", parts]})
}

/// Compiles every `http` event of the service.
pub(in super::super) fn compile(compiler: &mut Compiler<'_>) {
    let validated = match validate::validate(compiler) {
        Ok(validated) => validated,
        Err(diagnostic) => {
            compiler.diagnostics.push(diagnostic);
            return;
        }
    };
    if validated.events.is_empty() {
        return;
    }
    let api_gateway = compiler.provider("apiGateway");
    let setting = |key: &str| api_gateway.and_then(|a| a.get(key)).filter(|v| truthy(v)).cloned();
    if api_gateway.and_then(|a| a.get("restApiResources")).is_some_and(truthy) {
        compiler
            .diagnostics
            .push(diagnostic::unsupported_key("provider.apiGateway.restApiResources".into(), "restApiResources"));
        return;
    }
    let mut api = Api {
        rest_api_id: setting("restApiId").unwrap_or_else(|| json!({"Ref": REST_API})),
        root_id: setting("restApiRootResourceId")
            .unwrap_or_else(|| json!({"Fn::GetAtt": [REST_API, "RootResourceId"]})),
        resources: Vec::new(),
        method_ids: Vec::new(),
        deployment_id: format!("ApiGatewayDeployment{}", placeholder::CLOCK_MILLIS),
    };
    if setting("restApiId").is_none()
        && let Err(diagnostic) = rest_api(compiler)
    {
        compiler.diagnostics.push(diagnostic);
        return;
    }
    resources(compiler, &mut api, &validated);
    method::cors(compiler, &mut api, &validated);
    method::methods(compiler, &mut api, &validated);
    method::request_validators(compiler, &api, &validated);
    method::authorizers(compiler, &api, &validated);
    deployment(compiler, &api);
    if let Err(diagnostic) = keys::compile(compiler, &api) {
        compiler.diagnostics.push(diagnostic);
        return;
    }
    permissions(compiler, &api, &validated);
    stage(compiler);
}

/// `compileRestApi`.
fn rest_api(compiler: &mut Compiler<'_>) -> Result<(), diagnostic::Diagnostic> {
    let api_gateway = compiler.provider("apiGateway");
    let get = |key: &str| api_gateway.and_then(|a| a.get(key)).filter(|v| !v.is_null());
    let mut endpoint_type = json!("EDGE");
    let mut vpc_endpoint_ids = None;
    if let Some(kind) = compiler.provider("endpointType").filter(|v| truthy(v)) {
        let kind = crate::js::to_js_string(Some(kind)).to_uppercase();
        if let Some(ids) = compiler.provider("vpcEndpointIds").filter(|v| truthy(v)) {
            if kind != "PRIVATE" {
                return Err(diagnostic::api_gateway_refused(
                    "provider.vpcEndpointIds".into(),
                    "API_GATEWAY_INVALID_VPC_ENDPOINT_IDS_CONFIG",
                    "VPC endpoint IDs are only for private APIs (`endpointType: PRIVATE`)".into(),
                ));
            }
            vpc_endpoint_ids = Some(ids.clone());
        }
        endpoint_type = json!(kind);
    }
    let name = match compiler.provider("apiName").filter(|v| truthy(v)) {
        Some(name) => crate::js::to_js_string(Some(name)),
        None if get("shouldStartNameWithService").is_some_and(truthy) => {
            format!("{}-{}", compiler.service, compiler.stage)
        }
        None => format!("{}-{}", compiler.stage, compiler.service),
    };
    let mut properties = Map::new();
    properties.insert("Name".into(), json!(name));
    if let Some(types) = get("binaryMediaTypes").filter(|v| truthy(v)) {
        properties.insert("BinaryMediaTypes".into(), types.clone());
    }
    if let Some(disable) = get("disableDefaultEndpoint") {
        properties.insert("DisableExecuteApiEndpoint".into(), disable.clone());
    }
    let mut endpoint = Map::new();
    endpoint.insert("Types".into(), json!([endpoint_type]));
    if let Some(ids) = vpc_endpoint_ids {
        endpoint.insert("VpcEndpointIds".into(), ids);
    }
    properties.insert("EndpointConfiguration".into(), Value::Object(endpoint));
    let policy = get("resourcePolicy").filter(|p| match p {
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        Value::String(text) => !text.is_empty(),
        _ => false,
    });
    match policy {
        Some(statements) => {
            properties.insert("Policy".into(), json!({"Version": "2012-10-17", "Statement": statements}));
        }
        None => {
            properties.insert("Policy".into(), json!(""));
        }
    }
    if let Some(source) = get("apiKeySourceType").filter(|v| truthy(v)) {
        properties.insert("ApiKeySourceType".into(), json!(crate::js::to_js_string(Some(source)).to_uppercase()));
    }
    if let Some(size) = get("minimumCompressionSize") {
        properties.insert("MinimumCompressionSize".into(), size.clone());
    }
    if let Some(description) = get("description").filter(|v| truthy(v)) {
        properties.insert("Description".into(), description.clone());
    }
    let resource = json!({"Type": "AWS::ApiGateway::RestApi", "Properties": properties});
    merge_resource(compiler, REST_API, resource);
    Ok(())
}

/// `_.merge(Resources, {[id]: resource})`.
pub(super) fn merge_resource(compiler: &mut Compiler<'_>, id: &str, resource: Value) {
    match compiler.resources.get_mut(id) {
        Some(existing) => crate::js::merge(existing, &resource),
        None => {
            compiler.resources.insert(id.to_owned(), resource);
        }
    }
}

/// One node of the resource tree.
struct Node {
    path: String,
    part: String,
    children: Vec<usize>,
}

/// `compileResources`: a trie of the events' paths, walked depth first in
/// the order the paths first appear; one `AWS::ApiGateway::Resource` each.
fn resources(compiler: &mut Compiler<'_>, api: &mut Api, validated: &Validated) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    for event in validated.events.iter().filter(|e| !e.path.is_empty()) {
        let path = validate::strip_slashes(&event.path);
        let mut parent: Option<usize> = None;
        let mut current = String::new();
        for part in path.split('/') {
            current = if current.is_empty() { part.to_owned() } else { format!("{current}/{part}") };
            let siblings = match parent {
                Some(index) => &nodes[index].children,
                None => &roots,
            };
            let found = siblings.iter().copied().find(|&i| nodes[i].path == current);
            let index = match found {
                Some(index) => index,
                None => {
                    nodes.push(Node { path: current.clone(), part: part.to_owned(), children: Vec::new() });
                    let index = nodes.len() - 1;
                    match parent {
                        Some(p) => nodes[p].children.push(index),
                        None => roots.push(index),
                    }
                    index
                }
            };
            parent = Some(index);
        }
    }
    let mut order = Vec::new();
    let mut stack: Vec<(usize, Option<usize>)> = roots.iter().rev().map(|&r| (r, None)).collect();
    while let Some((index, parent)) = stack.pop() {
        order.push((index, parent));
        stack.extend(nodes[index].children.iter().rev().map(|&c| (c, Some(index))));
    }
    for (index, parent) in order {
        let node = &nodes[index];
        let name = naming::normalize_path(&node.path);
        let logical_id = format!("ApiGatewayResource{name}");
        let parent_ref = match parent {
            Some(p) => api.resource_id(&nodes[p].path),
            None => api.root_id.clone(),
        };
        api.resources.push((node.path.clone(), name, json!({"Ref": logical_id})));
        let resource = json!({
            "Type": "AWS::ApiGateway::Resource",
            "Properties": {"ParentId": parent_ref, "PathPart": node.part, "RestApiId": api.rest_api_id}
        });
        merge_resource(compiler, &logical_id, resource);
    }
}

/// `compileDeployment`: the deployment, depending on every method, and the
/// `ServiceEndpoint` output.
fn deployment(compiler: &mut Compiler<'_>, api: &Api) {
    let api_gateway = compiler.provider("apiGateway");
    let get = |key: &str| api_gateway.and_then(|a| a.get(key)).filter(|v| truthy(v));
    let mut properties = Map::new();
    properties.insert("RestApiId".into(), api.rest_api_id.clone());
    properties.insert("StageName".into(), get("stage").cloned().unwrap_or_else(|| json!(compiler.stage)));
    if let Some(description) = get("description") {
        properties.insert("Description".into(), description.clone());
    }
    let resource =
        json!({"Type": "AWS::ApiGateway::Deployment", "Properties": properties, "DependsOn": api.method_ids});
    merge_resource(compiler, &api.deployment_id, resource);
    let output = json!({
        "Description": "URL of the service endpoint",
        "Value": {"Fn::Join": ["", [
            "https://", api.rest_api_id, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"},
            format!("/{}", compiler.stage)
        ]]}
    });
    match compiler.outputs.get_mut("ServiceEndpoint") {
        Some(existing) => crate::js::merge(existing, &output),
        None => {
            compiler.outputs.insert("ServiceEndpoint".into(), output);
        }
    }
}

/// `{Fn::Join: ['', ['arn:', Partition, ':execute-api:', Region, ':', AccountId, ':', api, '/*/*']]}`.
fn execute_api_arn(api: &Api) -> Value {
    json!({"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":execute-api:", {"Ref": "AWS::Region"}, ":",
        {"Ref": "AWS::AccountId"}, ":", api.rest_api_id, "/*/*"
    ]]})
}

/// `compilePermissions`: one permission per function, and one per
/// authorizer function unless it is a user pool or managed elsewhere.
fn permissions(compiler: &mut Compiler<'_>, api: &Api, validated: &Validated) {
    for event in &validated.events {
        let function = &compiler.functions[event.function];
        let id = permission_logical_id(function.key);
        let mut permission = json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": function.target(),
            "Action": "lambda:InvokeFunction",
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": execute_api_arn(api)
        }});
        if let Some((_, alias_id)) = function.target_alias() {
            permission["DependsOn"] = json!(alias_id);
        }
        // `Object.assign`: a second event of the function replaces the first.
        compiler.resources.insert(id, permission);
        let Some(authorizer) = &event.authorizer else { continue };
        let (Some(arn), Some(name)) = (&authorizer.arn, &authorizer.name) else { continue };
        if authorizer.is_cognito() {
            continue;
        }
        let id = permission_logical_id(name);
        if compiler.resources.contains_key(&id) || authorizer.managed_externally {
            continue;
        }
        let target = match &authorizer.logical_id {
            Some(alias_id) => json!({"Ref": alias_id}),
            None => arn.clone(),
        };
        compiler.resources.insert(
            id,
            json!({"Type": "AWS::Lambda::Permission", "Properties": {
                "FunctionName": target,
                "Action": "lambda:InvokeFunction",
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": execute_api_arn(api)
            }}),
        );
    }
}

/// `compileStage`: the REST API's stage settings are applied through the
/// AWS SDK after deploying; the template gets only the access log group,
/// and the custom resource that sets API Gateway's CloudWatch role.
fn stage(compiler: &mut Compiler<'_>) {
    let Some(logs) = compiler.provider("logs").and_then(|l| l.get("restApi")).filter(|v| truthy(v)) else { return };
    let access = logs.get("accessLogging").filter(|v| !v.is_null()).is_none_or(truthy);
    if !access {
        return;
    }
    let mut properties = Map::new();
    properties
        .insert("LogGroupName".into(), json!(format!("/aws/api-gateway/{}-{}", compiler.service, compiler.stage)));
    if let Some(days) = compiler.provider("logRetentionInDays").filter(|v| truthy(v)) {
        properties.insert("RetentionInDays".into(), days.clone());
    }
    if let Some(policy) = compiler.provider("logDataProtectionPolicy").filter(|v| truthy(v)) {
        properties.insert("DataProtectionPolicy".into(), policy.clone());
    }
    merge_resource(compiler, "ApiGatewayLogGroup", json!({"Type": "AWS::Logs::LogGroup", "Properties": properties}));
    if !logs.get("roleManagedExternally").is_some_and(truthy) {
        compiler.diagnostics.push(diagnostic::unsupported_key("provider.logs.restApi".into(), "logs.restApi"));
    }
}
