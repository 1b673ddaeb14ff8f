//! `httpApi` events (`compile/events/http-api.js`): one HTTP API for the
//! service (`HttpApi`, its `$default` stage, the `HttpApiId`/`HttpApiUrl`
//! outputs, or an existing API by `provider.httpApi.id`), an access-log group
//! when `provider.logs.httpApi` is set, JWT and Lambda request authorizers,
//! and per route an `AWS::ApiGatewayV2::Route`, with one integration and one
//! permission per function.

use serde_json::{Map, Value, json};

use super::{Compiler, Function};
use crate::diagnostic;
use crate::js::{to_js_string, truthy};
use crate::naming;

/// The methods a route may have, in the Framework's `Set` order (CORS lists
/// them in this order for an `ANY` route).
const METHODS: [&str; 8] = ["ANY", "GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE"];

/// A JavaScript `Set` of JSON values: insertion order, no duplicates.
#[derive(Default, Clone)]
struct JsSet(Vec<Value>);

impl JsSet {
    fn add(&mut self, value: Value) {
        if !self.0.contains(&value) {
            self.0.push(value);
        }
    }

    /// `toSet(item)`: a list's items, else the one value.
    fn of(item: Option<&Value>) -> Self {
        let mut set = Self::default();
        match item {
            Some(Value::Array(items)) => items.iter().cloned().for_each(|v| set.add(v)),
            Some(other) => set.add(other.clone()),
            // `new JsSet([undefined])`, which `JSON.stringify` writes as `null`.
            None => set.add(Value::Null),
        }
        set
    }

    fn strings(items: &[&str]) -> Self {
        Self(items.iter().map(|s| json!(s)).collect())
    }

    fn to_value(&self) -> Value {
        Value::Array(self.0.clone())
    }
}

struct Cors {
    credentials: Option<Value>,
    headers: JsSet,
    methods: JsSet,
    origins: JsSet,
    exposed: Option<JsSet>,
    max_age: Option<Value>,
    /// No `allowedMethods`: the routes' methods are added.
    fill_methods: bool,
}

/// One entry of `provider.httpApi.authorizers`.
struct Authorizer {
    /// `name`, else its key.
    name: String,
    identity_source: Value,
    issuer_url: Option<Value>,
    audience: JsSet,
    kind: Option<Value>,
    function_name: Option<String>,
    function_arn: Option<Value>,
    managed_externally: bool,
    result_ttl: Option<Value>,
    simple_responses: Option<Value>,
    payload_version: Value,
}

/// The authorizer of one route.
enum RouteAuthorizer {
    /// By `id`, on an existing API.
    External { id: Value, kind: Option<Value> },
    /// `type: aws_iam`.
    Iam,
    /// One of `provider.httpApi.authorizers`, by its key.
    Defined(usize),
}

struct Route {
    key: String,
    /// Index into the compiler's functions.
    function: usize,
    authorizer: Option<RouteAuthorizer>,
    scopes: Option<JsSet>,
}

/// A mistake the Framework stops on: where, and why.
type Failure = (String, Failed);

enum Failed {
    Reason(String),
    UnknownAuthorizer(String, Vec<String>),
}

/// Compiles the service's HTTP API when any function has an `httpApi` event.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    if let Err((path, failed)) = compile_api(compiler, &functions) {
        compiler.diagnostics.push(match failed {
            Failed::Reason(reason) => diagnostic::event_invalid(path, reason),
            Failed::UnknownAuthorizer(name, known) => {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                diagnostic::unknown_http_api_authorizer(path, &name, &known)
            }
        });
    }
    compiler.functions = functions;
}

fn fail<T>(path: String, reason: impl Into<String>) -> Result<T, Failure> {
    Err((path, Failed::Reason(reason.into())))
}

fn compile_api(compiler: &mut Compiler<'_>, functions: &[Function<'_>]) -> Result<(), Failure> {
    let settings = compiler.provider("httpApi").and_then(Value::as_object);
    let setting = |key: &str| settings.and_then(|s| s.get(key)).filter(|v| !v.is_null());
    let external_id = setting("id").filter(|v| truthy(v)).cloned();
    let mut cors = cors(setting("cors"), external_id.is_some())?;
    let authorizers = authorizers(setting("authorizers"), external_id.is_some(), functions)?;
    let logs = compiler.provider("logs").and_then(|logs| logs.get("httpApi")).filter(|v| truthy(v));
    let access_log_format = match logs {
        Some(_) if external_id.is_some() => {
            return fail("provider.logs.httpApi".into(), "access logs cannot be set up for an external HTTP API (`provider.httpApi.id`)");
        }
        Some(logs) => Some(logs.get("format").filter(|f| truthy(f)).cloned().unwrap_or_else(|| {
            json!(
                r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}"#
            )
        })),
        None => None,
    };

    let mut routes: Vec<Route> = Vec::new();
    for (position, function) in functions.iter().enumerate() {
        for (index, event) in function.events().iter().enumerate() {
            let Some(setting) = event.get("httpApi").filter(|s| truthy(s)) else { continue };
            let path = format!("{}.events[{index}].httpApi", function.path());
            let route = route(setting, &path, position, external_id.is_some(), &authorizers)?;
            let method = match route.key.split_once(' ') {
                Some((method, _)) => method.to_owned(),
                None => "ANY".to_owned(),
            };
            if let Some(existing) = routes.iter_mut().find(|r| r.key == route.key) {
                if route.key != "*" {
                    return fail(path, format!("the route `{}` is defined twice", route.key));
                }
                // `Map.set` on the `*` route: the last one wins, in the first one's place.
                *existing = route;
            } else {
                routes.push(route);
            }
            if let Some(cors) = cors.as_mut().filter(|c| c.fill_methods) {
                if method == "ANY" {
                    METHODS.iter().skip(1).for_each(|m| cors.methods.add(json!(m)));
                } else {
                    cors.methods.add(json!(method));
                }
            }
        }
    }
    if routes.is_empty() {
        return Ok(());
    }

    let api_id = external_id.clone().unwrap_or_else(|| json!({"Ref": "HttpApi"}));
    // compileApi
    if external_id.is_none() {
        let mut properties = Map::new();
        properties
            .insert("Name".into(), json!(api_name(compiler, setting("name"), setting("shouldStartNameWithService"))));
        properties.insert("ProtocolType".into(), json!("HTTP"));
        if let Some(disable) = setting("disableDefaultEndpoint") {
            properties.insert("DisableExecuteApiEndpoint".into(), disable.clone());
        }
        if let Some(tags) = compiler.provider("tags").filter(|t| truthy(t)) {
            properties.insert("Tags".into(), tags.clone());
        }
        if let Some(cors) = &cors {
            let mut config = Map::new();
            if let Some(credentials) = &cors.credentials {
                config.insert("AllowCredentials".into(), credentials.clone());
            }
            config.insert("AllowHeaders".into(), cors.headers.to_value());
            config.insert("AllowMethods".into(), cors.methods.to_value());
            config.insert("AllowOrigins".into(), cors.origins.to_value());
            if let Some(exposed) = &cors.exposed {
                config.insert("ExposeHeaders".into(), exposed.to_value());
            }
            if let Some(max_age) = &cors.max_age {
                config.insert("MaxAge".into(), max_age.clone());
            }
            properties.insert("CorsConfiguration".into(), Value::Object(config));
        }
        compiler
            .resources
            .insert("HttpApi".into(), json!({"Type": "AWS::ApiGatewayV2::Api", "Properties": properties}));
    }
    // compileLogGroup
    if access_log_format.is_some() {
        let stack = match compiler.provider("stackName") {
            Some(Value::String(name)) if !name.is_empty() => name.clone(),
            _ => format!("{}-{}", compiler.service, compiler.stage),
        };
        let mut properties = Map::new();
        properties.insert("LogGroupName".into(), json!(format!("/aws/http-api/{stack}")));
        for (from, to) in
            [("logRetentionInDays", "RetentionInDays"), ("logDataProtectionPolicy", "DataProtectionPolicy")]
        {
            if let Some(value) = compiler.provider(from).filter(|v| truthy(v)) {
                properties.insert(to.into(), value.clone());
            }
        }
        compiler
            .resources
            .insert("HttpApiLogGroup".into(), json!({"Type": "AWS::Logs::LogGroup", "Properties": properties}));
    }
    // compileStage
    if external_id.is_none() {
        let metrics = setting("metrics").filter(|v| truthy(v)).cloned().unwrap_or(json!(false));
        let mut properties = Map::new();
        properties.insert("ApiId".into(), json!({"Ref": "HttpApi"}));
        properties.insert("StageName".into(), json!("$default"));
        properties.insert("AutoDeploy".into(), json!(true));
        properties.insert("DefaultRouteSettings".into(), json!({"DetailedMetricsEnabled": metrics}));
        if let Some(tags) = compiler.provider("tags").filter(|t| truthy(t)) {
            properties.insert("Tags".into(), tags.clone());
        }
        let mut stage = json!({"Type": "AWS::ApiGatewayV2::Stage"});
        if let Some(format) = &access_log_format {
            properties.insert(
                "AccessLogSettings".into(),
                json!({"DestinationArn": {"Fn::GetAtt": ["HttpApiLogGroup", "Arn"]}, "Format": format}),
            );
            stage["Properties"] = Value::Object(properties);
            stage["DependsOn"] = json!("HttpApiLogGroup");
        } else {
            stage["Properties"] = Value::Object(properties);
        }
        compiler.resources.insert("HttpApiStage".into(), stage);
        compiler
            .outputs
            .insert("HttpApiId".into(), json!({"Description": "Id of the HTTP API", "Value": {"Ref": "HttpApi"}}));
        compiler.outputs.insert(
            "HttpApiUrl".into(),
            json!({"Description": "URL of the HTTP API", "Value": {"Fn::Join": ["", [
                "https://", {"Ref": "HttpApi"}, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}
            ]]}}),
        );
    }
    compile_authorizers(compiler, &authorizers, functions, &api_id);
    compile_endpoints(compiler, &routes, &authorizers, functions, &api_id);
    Ok(())
}

/// `getHttpApiName`.
fn api_name(compiler: &Compiler<'_>, name: Option<&Value>, service_first: Option<&Value>) -> String {
    match name.filter(|n| truthy(n)) {
        Some(name) => to_js_string(Some(name)),
        None if service_first.is_some_and(truthy) => format!("{}-{}", compiler.service, compiler.stage),
        None => format!("{}-{}", compiler.stage, compiler.service),
    }
}

fn cors(setting: Option<&Value>, external: bool) -> Result<Option<Cors>, Failure> {
    let Some(setting) = setting.filter(|v| truthy(v)) else { return Ok(None) };
    if external {
        return fail(
            "provider.httpApi.cors".into(),
            "CORS cannot be set up for an external HTTP API (`provider.httpApi.id`)",
        );
    }
    let defaults = Cors {
        credentials: None,
        headers: JsSet::strings(&super::DEFAULT_CORS_HEADERS),
        methods: JsSet::strings(&["OPTIONS"]),
        origins: JsSet::strings(&["*"]),
        exposed: None,
        max_age: None,
        fill_methods: true,
    };
    if setting == &Value::Bool(true) {
        return Ok(Some(defaults));
    }
    let get = |key: &str| setting.get(key).filter(|v| truthy(v));
    let methods = get("allowedMethods").map(|m| JsSet::of(Some(m)));
    Ok(Some(Cors {
        credentials: get("allowCredentials").map(|_| json!(true)),
        headers: get("allowedHeaders").map_or(defaults.headers, |h| JsSet::of(Some(h))),
        fill_methods: methods.is_none(),
        methods: methods.unwrap_or(defaults.methods),
        origins: get("allowedOrigins").map_or(defaults.origins, |o| JsSet::of(Some(o))),
        exposed: get("exposedResponseHeaders").map(|e| JsSet::of(Some(e))),
        max_age: setting.get("maxAge").cloned(),
    }))
}

fn authorizers(
    setting: Option<&Value>,
    external: bool,
    functions: &[Function<'_>],
) -> Result<Vec<(String, Authorizer)>, Failure> {
    let Some(setting) = setting.filter(|v| truthy(v)) else { return Ok(Vec::new()) };
    if external {
        return fail(
            "provider.httpApi.authorizers".into(),
            "authorizers cannot be set up for an external HTTP API (`provider.httpApi.id`)",
        );
    }
    let mut found = Vec::new();
    for (key, config) in setting.as_object().into_iter().flatten() {
        let path = format!("provider.httpApi.authorizers.{key}");
        let get = |name: &str| config.get(name).cloned();
        let kind = get("type");
        let function_name = get("functionName").filter(truthy);
        let function_arn = get("functionArn").filter(truthy);
        if kind.as_ref().and_then(Value::as_str) == Some("request") {
            match (&function_name, &function_arn) {
                (None, None) => return fail(path, "a request authorizer needs `functionName` or `functionArn`"),
                (Some(_), Some(_)) => {
                    return fail(path, "a request authorizer takes `functionName` or `functionArn`, not both");
                }
                _ => {}
            }
            if let Some(name) = &function_name {
                let name = to_js_string(Some(name));
                if !functions.iter().any(|f| f.key == name) {
                    return fail(format!("{path}.functionName"), format!("no function `{name}` in this service"));
                }
            }
            if get("resultTtlInSeconds").is_some_and(|t| truthy(&t))
                && !get("identitySource").is_some_and(|s| truthy(&s))
            {
                return fail(path, "`identitySource` is required when `resultTtlInSeconds` is not 0");
            }
        }
        let name = match get("name").filter(truthy) {
            Some(name) => to_js_string(Some(&name)),
            None => key.clone(),
        };
        found.push((
            key.clone(),
            Authorizer {
                name,
                identity_source: get("identitySource").filter(truthy).unwrap_or_else(|| json!([])),
                issuer_url: get("issuerUrl"),
                audience: JsSet::of(config.get("audience")),
                kind,
                function_name: function_name.map(|n| to_js_string(Some(&n))),
                function_arn,
                managed_externally: get("managedExternally").is_some_and(|m| truthy(&m)),
                result_ttl: get("resultTtlInSeconds"),
                simple_responses: get("enableSimpleResponses"),
                payload_version: get("payloadVersion").filter(truthy).unwrap_or_else(|| json!("2.0")),
            },
        ));
    }
    Ok(found)
}

/// `GET /path` → its method and path, as `methodPathPattern` matches it.
fn split_method_path(text: &str) -> Option<(&str, &str)> {
    let (method, path) = text.split_once(' ')?;
    let known = METHODS.iter().any(|m| m.eq_ignore_ascii_case(method));
    (known && path.starts_with('/') && !path.chars().any(char::is_whitespace)).then_some((method, path))
}

fn route(
    setting: &Value,
    path: &str,
    function: usize,
    external: bool,
    authorizers: &[(String, Authorizer)],
) -> Result<Route, Failure> {
    let (method, route_path, authorizer) = match setting {
        Value::Object(map) => (map.get("method").cloned(), map.get("path").cloned(), map.get("authorizer").cloned()),
        other => {
            let text = to_js_string(Some(other));
            if text == "*" {
                (None, Some(json!("*")), None)
            } else {
                let Some((method, route_path)) = split_method_path(&text) else {
                    return fail(
                        path.to_owned(),
                        format!("`{text}` is not `*` or `METHOD /path` (e.g. `GET /users/{{id}}`)"),
                    );
                };
                (Some(json!(method)), Some(json!(route_path)), None)
            }
        }
    };
    let route_path = to_js_string(route_path.as_ref());
    let method = method.filter(truthy);
    let key = if route_path == "*" {
        if method.as_ref().is_some_and(|m| m != "*") {
            return fail(format!("{path}.path"), "the `*` route takes no method but `*`");
        }
        "*".to_owned()
    } else {
        let Some(method) = method else {
            return fail(path.to_owned(), "this httpApi route has no `method`");
        };
        let mut method = to_js_string(Some(&method)).to_uppercase();
        if method == "*" {
            method = "ANY".into();
        } else if !METHODS.contains(&method.as_str()) {
            return fail(format!("{path}.method"), format!("`{method}` is not an HTTP API method"));
        }
        format!("{method} {route_path}")
    };
    let mut route = Route { key, function, authorizer: None, scopes: None };
    if let Some(authorizer) = authorizer.filter(truthy) {
        let (name, scopes, id, kind) = match &authorizer {
            Value::Object(map) => (
                map.get("name").filter(|v| truthy(v)).cloned(),
                map.get("scopes").filter(|v| truthy(v)).cloned(),
                map.get("id").filter(|v| truthy(v)).cloned(),
                map.get("type").cloned(),
            ),
            name => (Some(name.clone()), None, None, None),
        };
        let iam = kind.as_ref().and_then(Value::as_str) == Some("aws_iam");
        let at = format!("{path}.authorizer");
        if !iam && id.is_none() && name.is_none() {
            return fail(at, "an authorizer needs its `name` (or the `id` of an external one)");
        }
        if iam && (name.is_some() || id.is_some() || scopes.is_some()) {
            return fail(at, "an `aws_iam` authorizer takes no `name`, `id` or `scopes`");
        }
        route.authorizer = Some(if let Some(id) = id {
            if !external {
                return fail(at, "an authorizer by `id` needs an external HTTP API (`provider.httpApi.id`)");
            }
            RouteAuthorizer::External { id, kind }
        } else if iam {
            RouteAuthorizer::Iam
        } else {
            let name = to_js_string(name.as_ref());
            match authorizers.iter().position(|(key, _)| *key == name) {
                Some(index) => RouteAuthorizer::Defined(index),
                None => {
                    let known = authorizers.iter().map(|(key, _)| key.clone()).collect();
                    return Err((at, Failed::UnknownAuthorizer(name, known)));
                }
            }
        });
        route.scopes = scopes.map(|s| JsSet::of(Some(&s)));
    }
    Ok(route)
}

/// The `execute-api` ARN of every route of the API.
fn execute_api_arn(api_id: &Value) -> Value {
    json!({"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":execute-api:", {"Ref": "AWS::Region"}, ":",
        {"Ref": "AWS::AccountId"}, ":", api_id, "/*"
    ]]})
}

fn compile_authorizers(
    compiler: &mut Compiler<'_>,
    authorizers: &[(String, Authorizer)],
    functions: &[Function<'_>],
    api_id: &Value,
) {
    for (_, authorizer) in authorizers {
        let mut properties = Map::new();
        properties.insert("ApiId".into(), api_id.clone());
        properties.insert("Name".into(), json!(authorizer.name));
        let identity = match &authorizer.identity_source {
            list @ Value::Array(_) => list.clone(),
            one => json!([one]),
        };
        properties.insert("IdentitySource".into(), identity);
        let mut resource = Map::new();
        resource.insert("Type".into(), json!("AWS::ApiGatewayV2::Authorizer"));
        if authorizer.kind.as_ref().and_then(Value::as_str) == Some("request") {
            let function = authorizer.function_name.as_ref().and_then(|name| functions.iter().find(|f| f.key == *name));
            let target = match (&authorizer.function_arn, function) {
                (Some(arn), _) => arn.clone(),
                (None, Some(function)) => function.target(),
                (None, None) => Value::Null,
            };
            properties.insert("AuthorizerType".into(), json!("REQUEST"));
            for (key, value) in [
                ("EnableSimpleResponses", &authorizer.simple_responses),
                ("AuthorizerResultTtlInSeconds", &authorizer.result_ttl),
            ] {
                if let Some(value) = value {
                    properties.insert(key.into(), value.clone());
                }
            }
            properties.insert("AuthorizerPayloadFormatVersion".into(), authorizer.payload_version.clone());
            properties.insert(
                "AuthorizerUri".into(),
                json!({"Fn::Join": ["", [
                    "arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                    ":lambda:path/2015-03-31/functions/", target, "/invocations"
                ]]}),
            );
            let alias = function.and_then(Function::target_alias).map(|(_, id)| id);
            resource.insert("Properties".into(), Value::Object(properties));
            if let Some(alias) = &alias {
                resource.insert("DependsOn".into(), json!(alias));
            }
            if !authorizer.managed_externally {
                let mut permission = Map::new();
                permission.insert("Type".into(), json!("AWS::Lambda::Permission"));
                permission.insert(
                    "Properties".into(),
                    json!({
                        "FunctionName": target,
                        "Action": "lambda:InvokeFunction",
                        "Principal": "apigateway.amazonaws.com",
                        "SourceArn": execute_api_arn(api_id)
                    }),
                );
                if let Some(alias) = alias {
                    permission.insert("DependsOn".into(), json!(alias));
                }
                compiler.resources.insert(
                    format!("{}LambdaAuthorizerPermissionHttpApi", naming::normalized_resource_name(&authorizer.name)),
                    Value::Object(permission),
                );
            }
        } else {
            properties.insert("AuthorizerType".into(), json!("JWT"));
            let mut jwt = Map::new();
            jwt.insert("Audience".into(), authorizer.audience.to_value());
            if let Some(issuer) = &authorizer.issuer_url {
                jwt.insert("Issuer".into(), issuer.clone());
            }
            properties.insert("JwtConfiguration".into(), Value::Object(jwt));
            resource.insert("Properties".into(), Value::Object(properties));
        }
        compiler.resources.insert(
            format!("HttpApiAuthorizer{}", naming::normalized_resource_name(&authorizer.name)),
            Value::Object(resource),
        );
    }
}

fn compile_endpoints(
    compiler: &mut Compiler<'_>,
    routes: &[Route],
    authorizers: &[(String, Authorizer)],
    functions: &[Function<'_>],
    api_id: &Value,
) {
    let settings = compiler.provider("httpApi");
    let provider_payload = settings.and_then(|s| s.get("payload")).filter(|v| truthy(v)).cloned();
    let mut integrated: Vec<usize> = Vec::new();
    for route in routes {
        let function = &functions[route.function];
        let integration_id = format!("HttpApiIntegration{}", function.normalized);
        if !integrated.contains(&route.function) {
            integrated.push(route.function);
            let alias = function.target_alias().map(|(_, id)| id);
            let mut permission = json!({
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "FunctionName": function.target(),
                    "Action": "lambda:InvokeFunction",
                    "Principal": "apigateway.amazonaws.com",
                    "SourceArn": execute_api_arn(api_id)
                }
            });
            if let Some(alias) = &alias {
                permission["DependsOn"] = json!(alias);
            }
            compiler.resources.insert(format!("{}LambdaPermissionHttpApi", function.normalized), permission);
            let payload = function
                .get("httpApi")
                .and_then(|h| h.get("payload"))
                .filter(|v| truthy(v))
                .cloned()
                .or_else(|| provider_payload.clone())
                .unwrap_or_else(|| json!("2.0"));
            let mut integration = Map::new();
            integration.insert("Type".into(), json!("AWS::ApiGatewayV2::Integration"));
            if let Some(alias) = &alias {
                integration.insert("DependsOn".into(), json!(alias));
            }
            integration.insert(
                "Properties".into(),
                json!({
                    "ApiId": api_id,
                    "IntegrationType": "AWS_PROXY",
                    "IntegrationUri": function.target(),
                    "PayloadFormatVersion": payload,
                    "TimeoutInMillis": 30000
                }),
            );
            compiler.resources.insert(integration_id.clone(), Value::Object(integration));
        }
        let mut properties = Map::new();
        properties.insert("ApiId".into(), api_id.clone());
        properties.insert("RouteKey".into(), json!(if route.key == "*" { "$default" } else { route.key.as_str() }));
        properties.insert("Target".into(), json!({"Fn::Join": ["/", ["integrations", {"Ref": integration_id}]]}));
        let (kind, authorizer_id) = match &route.authorizer {
            None => (None, None),
            Some(RouteAuthorizer::Iam) => (Some("AWS_IAM"), None),
            Some(RouteAuthorizer::External { id, kind }) => (
                Some(if kind.as_ref().and_then(Value::as_str) == Some("request") { "CUSTOM" } else { "JWT" }),
                Some(id.clone()),
            ),
            Some(RouteAuthorizer::Defined(index)) => {
                let authorizer = &authorizers[*index].1;
                let custom = authorizer.kind.as_ref().and_then(Value::as_str) == Some("request");
                let id =
                    json!({"Ref": format!("HttpApiAuthorizer{}", naming::normalized_resource_name(&authorizer.name))});
                (Some(if custom { "CUSTOM" } else { "JWT" }), Some(id))
            }
        };
        if let Some(kind) = kind {
            properties.insert("AuthorizationType".into(), json!(kind));
        }
        if let Some(id) = authorizer_id {
            properties.insert("AuthorizerId".into(), id);
            if let Some(scopes) = &route.scopes {
                properties.insert("AuthorizationScopes".into(), scopes.to_value());
            }
        }
        compiler.resources.insert(
            naming::http_api_route_logical_id(&route.key),
            json!({"Type": "AWS::ApiGatewayV2::Route", "Properties": properties, "DependsOn": integration_id}),
        );
    }
}
