//! `websocket` events: the WebSocket API (`websockets/index.js`), compiled in
//! the Framework's order — the API, integrations, route responses,
//! authorizers, permissions, routes, the stage, and the deployment, whose
//! logical ID ends in a SHA-256 of the API's resources compiled so far.

use serde_json::{Map, Value, json};

use super::super::{Compiler, hash};
use crate::diagnostic::{self, Diagnostic};
use crate::js::{to_js_string, truthy};
use crate::naming;

/// Logical ID of the WebSocket API.
const API: &str = "WebsocketsApi";
/// Logical ID of its stage.
const STAGE: &str = "WebsocketsDeploymentStage";
/// Logical ID of its access log group.
const LOG_GROUP: &str = "WebsocketsLogGroup";
/// The access log format when none is given.
const DEFAULT_LOG_FORMAT: &str = "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] \"$context.eventType $context.routeKey $context.connectionId\" $context.requestId";

/// One `websocket` event, as `validate()` leaves it.
struct Event {
    function: usize,
    route: Value,
    selection: Option<Value>,
    authorizer: Option<Authorizer>,
}

struct Authorizer {
    name: String,
    uri: Value,
    identity_source: Value,
    /// A literal ARN or intrinsic, or the logical ID of a function of the service.
    permission: Value,
}

/// `naming.getNormalizedWebsocketsRouteKey` + `WebsocketsRoute`.
fn route_logical_id(route: &Value) -> String {
    let key = to_js_string(Some(route))
        .replace('$', "S")
        .replace('/', "Slash")
        .replace('-', "Dash")
        .replace('_', "Underscore")
        .replace('.', "Period");
    format!("{key}WebsocketsRoute")
}

fn integration_logical_id(function_key: &str) -> String {
    format!("{}WebsocketsIntegration", naming::normalized_resource_name(function_key))
}

fn permission_logical_id(name: &str) -> String {
    format!("{}LambdaPermissionWebsockets", naming::normalized_resource_name(name))
}

fn authorizer_logical_id(name: &str) -> String {
    format!("{}WebsocketsAuthorizer", naming::normalized_resource_name(name))
}

/// `_.merge(Resources, {[id]: resource})`.
fn merge_resource(compiler: &mut Compiler<'_>, id: &str, resource: Value) {
    match compiler.resources.get_mut(id) {
        Some(existing) => crate::js::merge(existing, &resource),
        None => {
            compiler.resources.insert(id.to_owned(), resource);
        }
    }
}

/// Compiles every `websocket` event of the service.
pub(in super::super) fn compile(compiler: &mut Compiler<'_>) {
    let events = match validate(compiler) {
        Ok(events) => events,
        Err(diagnostic) => {
            compiler.diagnostics.push(diagnostic);
            return;
        }
    };
    if events.is_empty() {
        return;
    }
    let external = compiler.provider("apiGateway").and_then(|a| a.get("websocketApiId")).filter(|v| truthy(v)).cloned();
    let api_id = external.clone().unwrap_or_else(|| json!({"Ref": API}));
    let description = compiler
        .provider("websocketsDescription")
        .filter(|v| truthy(v))
        .cloned()
        .unwrap_or(json!("Serverless Websockets"));
    if external.is_none() {
        api(compiler, &description);
    }
    for event in &events {
        let function = &compiler.functions[event.function];
        let mut resource = Map::new();
        resource.insert("Type".into(), json!("AWS::ApiGatewayV2::Integration"));
        if let Some((_, alias_id)) = function.target_alias() {
            resource.insert("DependsOn".into(), json!(alias_id));
        }
        resource.insert(
            "Properties".into(),
            json!({"ApiId": api_id, "IntegrationType": "AWS_PROXY", "IntegrationUri": uri(function.target())}),
        );
        let id = integration_logical_id(function.key);
        merge_resource(compiler, &id, Value::Object(resource));
    }
    for event in events.iter().filter(|e| e.selection.is_some()) {
        let route_id = route_logical_id(&event.route);
        compiler.resources.insert(
            format!("{route_id}Response"),
            json!({"Type": "AWS::ApiGatewayV2::RouteResponse", "Properties": {
                "ApiId": api_id, "RouteId": {"Ref": route_id}, "RouteResponseKey": "$default"
            }}),
        );
    }
    for event in &events {
        let Some(authorizer) = &event.authorizer else { continue };
        let local = compiler.functions.iter().find(|f| f.key == authorizer.name);
        let mut resource = Map::new();
        resource.insert("Type".into(), json!("AWS::ApiGatewayV2::Authorizer"));
        if let Some((_, alias_id)) = local.and_then(|f| f.target_alias()) {
            resource.insert("DependsOn".into(), json!(alias_id));
        }
        resource.insert(
            "Properties".into(),
            json!({
                "ApiId": api_id,
                "Name": authorizer.name,
                "AuthorizerType": "REQUEST",
                "AuthorizerUri": authorizer.uri,
                "IdentitySource": authorizer.identity_source
            }),
        );
        merge_resource(compiler, &authorizer_logical_id(&authorizer.name), Value::Object(resource));
    }
    let api_ref = api_id.get("Ref").cloned();
    for event in &events {
        let function = &compiler.functions[event.function];
        let mut depends: Vec<Value> = api_ref.iter().cloned().collect();
        depends.push(json!(function.target_alias().map_or_else(|| function.logical_id.clone(), |(_, id)| id)));
        let permission = json!({"Type": "AWS::Lambda::Permission", "DependsOn": depends, "Properties": {
            "FunctionName": function.target(),
            "Action": "lambda:InvokeFunction",
            "Principal": "apigateway.amazonaws.com"
        }});
        merge_resource(compiler, &permission_logical_id(function.key), permission);
        let Some(authorizer) = &event.authorizer else { continue };
        let mut depends: Vec<Value> = api_ref.iter().cloned().collect();
        let mut properties = Map::new();
        properties.insert("Action".into(), json!("lambda:InvokeFunction"));
        properties.insert("Principal".into(), json!("apigateway.amazonaws.com"));
        let literal = match &authorizer.permission {
            Value::String(text) => text.contains(':'),
            _ => true,
        };
        if literal {
            properties.insert("FunctionName".into(), authorizer.permission.clone());
        } else if let Some(local) = compiler.functions.iter().find(|f| f.key == authorizer.name) {
            properties.insert("FunctionName".into(), local.target());
            depends.push(authorizer.permission.clone());
            if let Some((_, alias_id)) = local.target_alias() {
                depends.push(json!(alias_id));
            }
        }
        let permission = json!({"Type": "AWS::Lambda::Permission", "DependsOn": depends, "Properties": properties});
        merge_resource(compiler, &permission_logical_id(&authorizer.name), permission);
    }
    for event in &events {
        let function = &compiler.functions[event.function];
        let mut properties = Map::new();
        properties.insert("ApiId".into(), api_id.clone());
        properties.insert("RouteKey".into(), event.route.clone());
        properties.insert("AuthorizationType".into(), json!("NONE"));
        properties.insert(
            "Target".into(),
            json!({"Fn::Join": ["/", ["integrations", {"Ref": integration_logical_id(function.key)}]]}),
        );
        if let Some(selection) = &event.selection {
            properties.insert("RouteResponseSelectionExpression".into(), selection.clone());
        }
        if let Some(authorizer) = &event.authorizer {
            properties.insert("AuthorizationType".into(), json!("CUSTOM"));
            properties.insert("AuthorizerId".into(), json!({"Ref": authorizer_logical_id(&authorizer.name)}));
        }
        let resource = json!({"Type": "AWS::ApiGatewayV2::Route", "Properties": properties});
        merge_resource(compiler, &route_logical_id(&event.route), resource);
    }
    if external.is_none()
        && let Err(diagnostic) = stage(compiler, &api_id, &description)
    {
        compiler.diagnostics.push(diagnostic);
        return;
    }
    deployment(compiler, &events, &api_id, &description, external.is_some());
}

/// `validate()`.
fn validate(compiler: &Compiler<'_>) -> Result<Vec<Event>, Diagnostic> {
    let mut events = Vec::new();
    for (index, function) in compiler.functions.iter().enumerate() {
        let Some(list) = function.config.get("events").and_then(Value::as_array) else { continue };
        for (position, event) in list.iter().enumerate() {
            let Some(config) = event.get("websocket").filter(|v| truthy(v)) else { continue };
            let path = format!("{}.events[{position}].websocket", function.path());
            let mut out = Event { function: index, route: Value::Null, selection: None, authorizer: None };
            match config {
                Value::Object(settings) => {
                    out.route = settings.get("route").cloned().unwrap_or(Value::Null);
                    out.selection = settings.get("routeResponseSelectionExpression").filter(|v| truthy(v)).cloned();
                    out.authorizer = match settings.get("authorizer") {
                        Some(value @ (Value::String(_) | Value::Object(_))) => {
                            Some(authorizer(compiler, value, &format!("{path}.authorizer"))?)
                        }
                        _ => None,
                    };
                }
                Value::String(route) => out.route = json!(route),
                _ => continue,
            }
            if !out.route.is_string() {
                return Err(diagnostic::api_gateway_refused(
                    path,
                    "",
                    "a `websocket` event needs a `route`, e.g. `$connect` or `{ route: sendMessage }`".into(),
                ));
            }
            events.push(out);
        }
    }
    Ok(events)
}

/// `{Fn::Join: ['', ['arn:', Partition, ':apigateway:', Region, ':lambda:path/2015-03-31/functions/', target, '/invocations']]}`.
fn uri(target: Value) -> Value {
    json!({"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
        ":lambda:path/2015-03-31/functions/", target, "/invocations"
    ]]})
}

/// A websocket authorizer: an ARN, or a function of the service by name.
fn authorizer(compiler: &Compiler<'_>, config: &Value, path: &str) -> Result<Authorizer, Diagnostic> {
    let default_source = json!(["route.request.header.Auth"]);
    let name_of_arn = |arn: &str| arn.rsplit(':').next().unwrap_or(arn).to_owned();
    let function = |name: &str| {
        compiler.functions.iter().find(|f| f.key == name).ok_or_else(|| {
            let keys: Vec<&str> = compiler.functions.iter().map(|f| f.key).collect();
            diagnostic::unknown_authorizer_function(path.to_owned(), name, &keys)
        })
    };
    match config {
        Value::String(arn) if arn.contains(':') => Ok(Authorizer {
            name: name_of_arn(arn),
            uri: uri(json!(arn)),
            identity_source: default_source,
            permission: json!(arn),
        }),
        Value::String(name) => {
            let function = function(name)?;
            Ok(Authorizer {
                name: name.clone(),
                uri: uri(function.target()),
                identity_source: default_source,
                permission: json!(function.logical_id),
            })
        }
        Value::Object(settings) => {
            let identity_source =
                settings.get("identitySource").filter(|v| truthy(v)).cloned().unwrap_or(default_source);
            if let Some(arn) = settings.get("arn").filter(|v| truthy(v)) {
                let name = match arn {
                    Value::String(arn) => name_of_arn(arn),
                    _ => match settings.get("name").filter(|v| truthy(v)) {
                        Some(name) => to_js_string(Some(name)),
                        None => {
                            return Err(diagnostic::api_gateway_refused(
                                path.to_owned(),
                                "WEBSOCKETS_MISSING_AUTHORIZER_NAME",
                                "an authorizer whose `arn` is not a literal ARN needs a `name`".into(),
                            ));
                        }
                    },
                };
                return Ok(Authorizer { name, uri: uri(arn.clone()), identity_source, permission: arn.clone() });
            }
            let Some(name) = settings.get("name").filter(|v| truthy(v)).map(|n| to_js_string(Some(n))) else {
                return Err(diagnostic::api_gateway_refused(
                    path.to_owned(),
                    "",
                    "a websocket authorizer needs the `name` of a function or an `arn`".into(),
                ));
            };
            let function = function(&name)?;
            Ok(Authorizer {
                uri: uri(function.target()),
                identity_source,
                permission: json!(function.logical_id),
                name,
            })
        }
        _ => Err(diagnostic::api_gateway_refused(
            path.to_owned(),
            "",
            "an authorizer is a name, an ARN or a mapping".into(),
        )),
    }
}

/// `compileApi`: the API, and the execution role's right to post to
/// connections.
fn api(compiler: &mut Compiler<'_>, description: &Value) {
    let name = match compiler.provider("websocketsApiName") {
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        _ => format!("{}-{}-websockets", compiler.stage, compiler.service),
    };
    let selection = compiler
        .provider("websocketsApiRouteSelectionExpression")
        .filter(|v| truthy(v))
        .cloned()
        .unwrap_or(json!("$request.body.action"));
    let mut properties = Map::new();
    properties.insert("Name".into(), json!(name));
    properties.insert("RouteSelectionExpression".into(), selection);
    properties.insert("Description".into(), description.clone());
    properties.insert("ProtocolType".into(), json!("WEBSOCKET"));
    let use_tags = compiler.provider("websocket").and_then(|w| w.get("useProviderTags")).is_some_and(truthy);
    if let Some(tags) = compiler.provider("tags").filter(|v| truthy(v))
        && use_tags
    {
        properties.insert("Tags".into(), tags.clone());
    }
    merge_resource(compiler, API, json!({"Type": "AWS::ApiGatewayV2::Api", "Properties": properties}));
    if let Some(statements) = compiler.role_statements() {
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["execute-api:ManageConnections"],
            "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:execute-api:*:*:*/@connections/*"}]
        }));
    }
}

/// `compileStage`: the stage, with access and execution logging when
/// `provider.logs.websocket` asks for it.
fn stage(compiler: &mut Compiler<'_>, api_id: &Value, description: &Value) -> Result<(), Diagnostic> {
    let mut properties = Map::new();
    properties.insert("ApiId".into(), api_id.clone());
    properties.insert("StageName".into(), json!(compiler.stage));
    properties.insert("Description".into(), description.clone());
    let logs = compiler.provider("logs").and_then(|l| l.get("websocket")).filter(|v| truthy(v)).cloned();
    if let Some(logs) = &logs {
        let setting = |key: &str| logs.get(key).filter(|v| !v.is_null()).cloned().unwrap_or(json!(true));
        let access = setting("accessLogging");
        let execution = setting("executionLogging");
        let full = setting("fullExecutionData");
        let format = logs.get("format").filter(|v| truthy(v)).cloned().unwrap_or(json!(DEFAULT_LOG_FORMAT));
        let level = if !truthy(&execution) {
            json!("OFF")
        } else {
            match logs.get("level").filter(|v| truthy(v)) {
                Some(level) if level == "INFO" || level == "ERROR" => level.clone(),
                Some(level) => {
                    return Err(diagnostic::api_gateway_refused(
                        "provider.logs.websocket.level".into(),
                        "WEBSOCKETS_INVALID_LOGS_LEVEL",
                        format!("the websocket log level must be INFO or ERROR, not {}", to_js_string(Some(level))),
                    ));
                }
                None => json!("INFO"),
            }
        };
        properties.insert("DefaultRouteSettings".into(), json!({"DataTraceEnabled": full, "LoggingLevel": level}));
        if truthy(&access) {
            properties.insert(
                "AccessLogSettings".into(),
                json!({
                    "DestinationArn": {"Fn::Sub": format!("arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:${{{LOG_GROUP}}}")},
                    "Format": format
                }),
            );
        }
    }
    compiler.resources.insert(STAGE.into(), json!({"Type": "AWS::ApiGatewayV2::Stage", "Properties": properties}));
    if logs.is_none() {
        return Ok(());
    }
    let mut group = Map::new();
    group.insert("LogGroupName".into(), json!(format!("/aws/websocket/{}-{}", compiler.service, compiler.stage)));
    if let Some(days) = compiler.provider("logRetentionInDays").filter(|v| truthy(v)) {
        group.insert("RetentionInDays".into(), days.clone());
    }
    if let Some(policy) = compiler.provider("logDataProtectionPolicy").filter(|v| truthy(v)) {
        group.insert("DataProtectionPolicy".into(), policy.clone());
    }
    compiler.resources.insert(LOG_GROUP.into(), json!({"Type": "AWS::Logs::LogGroup", "Properties": group}));
    let external_role =
        compiler.provider("logs").and_then(|l| l.get("restApi")).and_then(|r| r.get("roleManagedExternally"));
    // The CloudWatch role custom resource is memoised across REST and
    // websocket logs; the REST API's `roleManagedExternally` decides it.
    if !external_role.is_some_and(truthy) {
        compiler.diagnostics.push(diagnostic::unsupported_key("provider.logs.websocket".into(), "logs.websocket"));
    }
    Ok(())
}

/// `compileDeployment`: the deployment, named by the hash of the API's
/// resources compiled so far, and the `ServiceEndpointWebsocket` output.
fn deployment(compiler: &mut Compiler<'_>, events: &[Event], api_id: &Value, description: &Value, external: bool) {
    let mut depends = Vec::new();
    for event in events {
        let route_id = route_logical_id(&event.route);
        if event.selection.is_some() {
            depends.push(json!(format!("{route_id}Response")));
        }
        depends.push(json!(route_id));
    }
    // `pickWebsocketsTemplatePart`: the API, whatever names it by `ApiId`,
    // and whatever depends on it.
    let part: Map<String, Value> = compiler
        .resources
        .iter()
        .filter(|(id, resource)| {
            *id == API
                || resource.pointer("/Properties/ApiId/Ref").is_some_and(|r| r == API)
                || resource.get("DependsOn").and_then(Value::as_array).is_some_and(|d| d.iter().any(|d| d == API))
        })
        .map(|(id, resource)| (id.clone(), resource.clone()))
        .collect();
    let digest = hash::base64(&hash::sha256(Value::Object(part).to_string().as_bytes()));
    let suffix: String = digest.chars().filter(char::is_ascii_alphanumeric).collect();
    let id = format!("WebsocketsDeployment{suffix}");
    let mut properties = Map::new();
    properties.insert("ApiId".into(), api_id.clone());
    properties.insert("Description".into(), description.clone());
    if external {
        properties.insert("StageName".into(), json!(compiler.stage));
    }
    merge_resource(
        compiler,
        &id,
        json!({"Type": "AWS::ApiGatewayV2::Deployment", "DependsOn": depends, "Properties": properties}),
    );
    let output = json!({
        "Description": "URL of the service endpoint",
        "Value": {"Fn::Join": ["", [
            "wss://", api_id, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"},
            format!("/{}", compiler.stage)
        ]]}
    });
    match compiler.outputs.get_mut("ServiceEndpointWebsocket") {
        Some(existing) => crate::js::merge(existing, &output),
        None => {
            compiler.outputs.insert("ServiceEndpointWebsocket".into(), output);
        }
    }
    if let Some(Value::Object(stage)) = compiler.resources.get_mut(STAGE).and_then(|s| s.get_mut("Properties")) {
        stage.insert("DeploymentId".into(), json!({"Ref": id}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_keys_name_their_routes() {
        assert_eq!(route_logical_id(&json!("$connect")), "SconnectWebsocketsRoute");
        assert_eq!(route_logical_id(&json!("sendMessage")), "sendMessageWebsocketsRoute");
        assert_eq!(route_logical_id(&json!("a/b-c_d.e")), "aSlashbDashcUnderscoredPeriodeWebsocketsRoute");
    }
}
