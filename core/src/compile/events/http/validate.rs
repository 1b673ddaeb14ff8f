//! The Framework's `validate()` for `http` events (`api-gateway/lib/validate.js`):
//! each event normalised into what the compilers read — path, method,
//! authorizer, CORS, integration, request and response — and the CORS
//! preflight of every path.

use serde_json::{Map, Value, json};

use super::super::super::Compiler;
use crate::diagnostic::{self, Diagnostic};
use crate::js::{to_js_string, truthy};

/// One `http` event, normalised.
pub(super) struct Http {
    /// Index of its function in `compiler.functions`.
    pub(super) function: usize,
    /// `functions.<key>.events[i].http`.
    pub(super) path_in_config: String,
    /// The event's own settings (the object form), for the keys read as written.
    pub(super) raw: Map<String, Value>,
    /// The path without its leading and trailing `/`.
    pub(super) path: String,
    /// The method, lower-case.
    pub(super) method: String,
    pub(super) authorizer: Option<Authorizer>,
    pub(super) cors: Option<Cors>,
    /// `AWS_PROXY`, `AWS`, `HTTP`, `HTTP_PROXY` or `MOCK`.
    pub(super) integration: String,
    /// `VPC_LINK` and the like, upper-case with `_`.
    pub(super) connection_type: Option<String>,
    pub(super) request: Option<Map<String, Value>>,
    pub(super) response: Option<Map<String, Value>>,
}

impl Http {
    /// A key of the event's own settings, `None` when absent or `null`.
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.raw.get(key).filter(|v| !v.is_null())
    }
}

/// `getAuthorizer`'s result.
pub(super) struct Authorizer {
    pub(super) kind: Option<String>,
    pub(super) name: Option<String>,
    pub(super) arn: Option<Value>,
    pub(super) managed_externally: bool,
    pub(super) authorizer_id: Option<Value>,
    /// The alias of an authorizer function of this service that has one.
    pub(super) logical_id: Option<String>,
    /// `undefined` for the string form.
    pub(super) ttl: Option<i64>,
    pub(super) identity_source: Option<Value>,
    pub(super) identity_validation_expression: Option<Value>,
    /// `undefined` for the string form.
    pub(super) claims: Option<Value>,
    pub(super) scopes: Option<Value>,
}

impl Authorizer {
    fn upper_kind(&self) -> String {
        self.kind.as_deref().unwrap_or_default().to_uppercase()
    }

    /// A Cognito user pool authorizer: by `type`, or by a literal user pool ARN.
    pub(super) fn is_cognito(&self) -> bool {
        self.upper_kind() == "COGNITO_USER_POOLS"
            || self.arn.as_ref().and_then(Value::as_str).is_some_and(is_cognito_arn)
    }
}

/// `cognitoIdpArnExpr`: `^arn:[a-zA-Z-]*:cognito-idp`.
pub(super) fn is_cognito_arn(arn: &str) -> bool {
    arn.strip_prefix("arn:")
        .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-'))
        .is_some_and(|rest| rest.starts_with(":cognito-idp"))
}

/// `getCors`'s result for one event.
pub(super) struct Cors {
    pub(super) origin: Option<Value>,
    pub(super) origins: Option<Value>,
    pub(super) headers: Value,
    pub(super) methods: Vec<Value>,
    pub(super) allow_credentials: bool,
    pub(super) max_age: Option<Value>,
    pub(super) cache_control: Option<Value>,
}

/// The preflight of one path, merged over the events on it.
#[derive(Default)]
pub(super) struct Preflight {
    pub(super) headers: Vec<Value>,
    pub(super) methods: Vec<Value>,
    pub(super) origins: Vec<Value>,
    pub(super) origin: Option<Value>,
    pub(super) allow_credentials: bool,
    pub(super) max_age: Option<Value>,
    pub(super) cache_control: Option<Value>,
}

/// What `validate()` returns.
pub(super) struct Validated {
    pub(super) events: Vec<Http>,
    /// By path, in the order the paths first appear.
    pub(super) preflight: Vec<(String, Preflight)>,
}

/// Normalises every `http` event, in function and event order.
pub(super) fn validate(compiler: &mut Compiler<'_>) -> Result<Validated, Diagnostic> {
    let api_gateway = compiler.provider("apiGateway");
    let setting = |key: &str| api_gateway.and_then(|a| a.get(key)).filter(|v| truthy(v));
    if setting("restApiId").is_some() {
        if setting("restApiRootResourceId").is_none() {
            return Err(diagnostic::api_gateway_refused(
                "provider.apiGateway.restApiId".into(),
                "API_GATEWAY_MISSING_REST_API_ROOT_RESOURCE_ID",
                "an existing REST API (`restApiId`) needs `provider.apiGateway.restApiRootResourceId`".into(),
            ));
        }
        let tracing = compiler.provider("tracing").and_then(|t| t.get("apiGateway")).filter(|v| !v.is_null());
        if compiler.provider("tracing").is_some_and(truthy) && tracing.is_some() {
            return Err(diagnostic::api_gateway_refused(
                "provider.tracing.apiGateway".into(),
                "API_GATEWAY_EXTERNAL_API_TRACING",
                "`provider.tracing.apiGateway` has no effect on an existing REST API (`restApiId`)".into(),
            ));
        }
        let logs = compiler.provider("logs").and_then(|l| l.get("restApi")).filter(|v| !v.is_null());
        if compiler.provider("logs").is_some_and(truthy) && logs.is_some() {
            return Err(diagnostic::api_gateway_refused(
                "provider.logs.restApi".into(),
                "API_GATEWAY_EXTERNAL_API_LOGS",
                "`provider.logs.restApi` has no effect on an existing REST API (`restApiId`)".into(),
            ));
        }
    }
    let mut events = Vec::new();
    let mut preflight: Vec<(String, Preflight)> = Vec::new();
    for (index, function) in compiler.functions.iter().enumerate() {
        let Some(list) = function.config.get("events").and_then(Value::as_array) else { continue };
        for (position, event) in list.iter().enumerate() {
            let Some(config) = event.get("http").filter(|v| truthy(v)) else { continue };
            let path_in_config = format!("{}.events[{position}].http", function.path());
            let http = normalise(compiler, index, config, path_in_config)?;
            if let Some(cors) = &http.cors {
                merge_preflight(&mut preflight, &http.path, cors);
            }
            events.push(http);
        }
    }
    let valid_stage =
        !compiler.stage.is_empty() && compiler.stage.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !events.is_empty() && !valid_stage {
        return Err(diagnostic::api_gateway_refused(
            "provider.stage".into(),
            "API_GATEWAY_INVALID_STAGE_NAME",
            format!("the stage `{}` has characters API Gateway does not allow in a stage name", compiler.stage),
        ));
    }
    Ok(Validated { events, preflight })
}

fn normalise(
    compiler: &Compiler<'_>,
    index: usize,
    config: &Value,
    path_in_config: String,
) -> Result<Http, Diagnostic> {
    let raw = match config {
        Value::Object(map) => map.clone(),
        Value::String(text) => {
            let mut parts = text.split(' ');
            let mut map = Map::new();
            map.insert("method".into(), parts.next().map_or(Value::Null, |m| json!(m)));
            if let Some(path) = parts.next() {
                map.insert("path".into(), json!(path));
            }
            map
        }
        _ => Map::new(),
    };
    let (Some(Value::String(path)), Some(Value::String(method))) = (raw.get("path"), raw.get("method")) else {
        return Err(diagnostic::api_gateway_refused(
            path_in_config,
            "",
            "an `http` event needs a method and a path, e.g. `GET /users` or `{ method: get, path: users }`".into(),
        ));
    };
    let path = strip_slashes(path).to_owned();
    let method = method.to_lowercase();
    let mut http = Http {
        function: index,
        path_in_config,
        path,
        method,
        authorizer: None,
        cors: None,
        integration: String::new(),
        connection_type: None,
        request: None,
        response: None,
        raw,
    };
    http.integration = integration(&http.raw);
    if let Some(authorizer) = http.get("authorizer").filter(|v| truthy(v)).cloned() {
        http.authorizer = Some(authorizer_of(compiler, &http, &authorizer)?);
    }
    if http.get("cors").is_some_and(truthy) {
        http.cors = Some(cors_of(&http));
    }
    if http.integration == "HTTP" || http.integration == "HTTP_PROXY" {
        let uri = http.get("request").and_then(|r| r.get("uri")).is_some_and(truthy);
        if !uri {
            return Err(diagnostic::api_gateway_refused(
                format!("{}.request", http.path_in_config),
                "API_GATEWAY_MISSING_REQUEST_URI",
                format!("the {} integration needs `request.uri`", http.integration),
            ));
        }
        http.connection_type = http
            .get("connectionType")
            .filter(|v| truthy(v))
            .map(|t| to_js_string(Some(t)).to_uppercase().replacen('-', "_", 1));
        if http.connection_type.as_deref() == Some("VPC_LINK") && !http.get("connectionId").is_some_and(truthy) {
            return Err(diagnostic::api_gateway_refused(
                http.path_in_config.clone(),
                "API_GATEWAY_MISSING_CONNECTION_ID",
                "the VPC_LINK connection type needs `connectionId`".into(),
            ));
        }
    }
    let request = http.get("request").filter(|v| truthy(v)).and_then(Value::as_object).cloned();
    let response = http.get("response").filter(|v| truthy(v)).and_then(Value::as_object).cloned();
    match http.integration.as_str() {
        "AWS" | "HTTP" => {
            let mut request = processed_request(request.unwrap_or_default());
            let pass_through = match request.get("passThrough").filter(|v| truthy(v)) {
                Some(value) => Some(value.clone()),
                None if http.integration == "AWS" => Some(json!("NEVER")),
                None => None,
            };
            match pass_through {
                Some(value) => request.insert("passThrough".into(), value),
                None => request.remove("passThrough"),
            };
            http.request = Some(request);
            let mut response = response.map(processed_response).unwrap_or_default();
            if http.integration == "AWS" && response.is_empty() {
                response.insert("statusCodes".into(), default_status_codes());
            }
            http.response = Some(response);
        }
        "AWS_PROXY" | "HTTP_PROXY" => {
            if let Some(mut request) = request {
                let allowed: &[&str] = if http.integration == "AWS_PROXY" {
                    &["parameters", "schema", "schemas"]
                } else {
                    &["parameters", "uri", "schema", "schemas"]
                };
                request.retain(|key, _| allowed.contains(&key.as_str()));
                if !request.is_empty() {
                    http.request = Some(processed_request(request));
                }
            }
        }
        _ => {
            // MOCK: the request and response as written.
            http.request = request;
            http.response = response;
        }
    }
    // The Framework reads the status codes of these responses without
    // checking that there are any, and crashes.
    let crashes = match http.integration.as_str() {
        "HTTP" => http.response.as_ref().is_some_and(Map::is_empty),
        "MOCK" => http.response.as_ref().is_some_and(|r| !r.get("statusCodes").is_some_and(truthy)),
        _ => false,
    };
    if crashes {
        return Err(diagnostic::api_gateway_refused(
            format!("{}.response", http.path_in_config),
            "",
            format!(
                "the {} integration needs `response.statusCodes` here; `sls package` crashes without them",
                http.integration
            ),
        ));
    }
    Ok(http)
}

/// `path.replace(/^\//, '').replace(/\/$/, '')`.
pub(super) fn strip_slashes(path: &str) -> &str {
    let path = path.strip_prefix('/').unwrap_or(path);
    path.strip_suffix('/').unwrap_or(path)
}

/// `getIntegration`.
fn integration(raw: &Map<String, Value>) -> String {
    if let Some(integration) = raw.get("integration").filter(|v| truthy(v)) {
        let normalised = to_js_string(Some(integration)).to_uppercase().replacen('-', "_", 1);
        return match normalised.as_str() {
            "LAMBDA" => "AWS".into(),
            "LAMBDA_PROXY" => "AWS_PROXY".into(),
            _ => normalised,
        };
    }
    if raw.get("async").is_some_and(truthy) { "AWS".into() } else { "AWS_PROXY".into() }
}

/// `getRequest`: `parameters` flattened to `method.request.<where>.<name>`.
fn processed_request(mut request: Map<String, Value>) -> Map<String, Value> {
    if let Some(parameters) = request.get("parameters").filter(|v| truthy(v)) {
        let mut flat = Map::new();
        for (location, singular) in [("querystrings", "querystring"), ("paths", "path"), ("headers", "header")] {
            if let Some(Value::Object(entries)) = parameters.get(location).filter(|v| truthy(v)) {
                for (key, value) in entries {
                    flat.insert(format!("method.request.{singular}.{key}"), value.clone());
                }
            }
        }
        request.insert("parameters".into(), Value::Object(flat));
    }
    request
}

/// `getResponse`: the status codes, with a default `200` when none has an
/// empty pattern.
fn processed_response(mut response: Map<String, Value>) -> Map<String, Value> {
    match response.get("statusCodes").filter(|v| truthy(v)).and_then(Value::as_object).cloned() {
        Some(mut codes) => {
            let has_default = codes.values().any(|code| code.get("pattern") == Some(&json!("")));
            if !has_default {
                codes.insert("200".into(), json!({"pattern": ""}));
            }
            response.insert("statusCodes".into(), Value::Object(codes));
        }
        None => {
            response.insert("statusCodes".into(), default_status_codes());
        }
    }
    response
}

/// `DEFAULT_STATUS_CODES`.
fn default_status_codes() -> Value {
    json!({
        "200": {"pattern": ""},
        "400": {"pattern": "[\\s\\S]*\\[400\\][\\s\\S]*"},
        "401": {"pattern": "[\\s\\S]*\\[401\\][\\s\\S]*"},
        "403": {"pattern": "[\\s\\S]*\\[403\\][\\s\\S]*"},
        "404": {"pattern": "[\\s\\S]*\\[404\\][\\s\\S]*"},
        "422": {"pattern": "[\\s\\S]*\\[422\\][\\s\\S]*"},
        "500": {"pattern": "[\\s\\S]*(Process\\s?exited\\s?before\\s?completing\\s?request|\\[500\\])[\\s\\S]*"},
        "502": {"pattern": "[\\s\\S]*\\[502\\][\\s\\S]*"},
        "504": {"pattern": "([\\s\\S]*\\[504\\][\\s\\S]*)|(.*Task timed out after \\d+\\.\\d+ seconds$)"}
    })
}

/// `naming.extractAuthorizerNameFromArn`: the last `-`-part of the last
/// `:`-part.
fn name_from_arn(arn: &str) -> String {
    let last = arn.rsplit(':').next().unwrap_or(arn);
    last.rsplit('-').next().unwrap_or(last).to_owned()
}

/// JavaScript's `Number.parseInt(String(value), 10)`, `None` for `NaN`.
fn parse_int(value: Option<&Value>) -> Option<i64> {
    let text = to_js_string(value);
    let text = text.trim_start();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<i64>().ok().map(|n| sign * n)
}

/// `getAuthorizer`.
fn authorizer_of(compiler: &Compiler<'_>, http: &Http, config: &Value) -> Result<Authorizer, Diagnostic> {
    let path = format!("{}.authorizer", http.path_in_config);
    let mut authorizer = Authorizer {
        kind: None,
        name: None,
        arn: None,
        managed_externally: false,
        authorizer_id: None,
        logical_id: None,
        ttl: None,
        identity_source: None,
        identity_validation_expression: None,
        claims: None,
        scopes: None,
    };
    let mut function_name = None;
    match config {
        Value::Object(settings) => {
            let get = |key: &str| settings.get(key).filter(|v| truthy(v));
            let kind = get("type").map(|t| to_js_string(Some(t)));
            if let (Some(kind), Some(id)) = (&kind, get("authorizerId")) {
                authorizer.kind = Some(kind.clone());
                authorizer.authorizer_id = Some(id.clone());
            } else if kind.as_deref().is_some_and(|k| k.to_uppercase() == "AWS_IAM") {
                authorizer.kind = Some("AWS_IAM".into());
            } else if let Some(arn) = get("arn") {
                authorizer.arn = Some(arn.clone());
                if let Some(Value::String(name)) = settings.get("name") {
                    authorizer.name = Some(name.clone());
                } else if let Value::String(arn) = arn {
                    authorizer.name = Some(name_from_arn(arn));
                } else {
                    return Err(diagnostic::api_gateway_refused(
                        path,
                        "API_GATEWAY_MISSING_AUTHORIZER_NAME",
                        "an authorizer whose `arn` is not a literal ARN needs a `name`".into(),
                    ));
                }
            } else if let Some(name) = get("name") {
                let name = to_js_string(Some(name));
                authorizer.name = Some(name.clone());
                function_name = Some(name);
            } else {
                return Err(diagnostic::api_gateway_refused(
                    path,
                    "API_GATEWAY_MISSING_AUTHORIZER_NAME_OR_ARN",
                    "an authorizer needs the `name` of a function or an `arn`".into(),
                ));
            }
            if authorizer.kind.is_none() {
                authorizer.kind = kind;
            }
            authorizer.ttl = Some(parse_int(settings.get("resultTtlInSeconds")).unwrap_or(300));
            authorizer.claims = Some(get("claims").cloned().unwrap_or_else(|| json!([])));
            authorizer.scopes = settings.get("scopes").filter(|v| !v.is_null()).cloned();
            authorizer.identity_source = settings.get("identitySource").filter(|v| !v.is_null()).cloned();
            authorizer.identity_validation_expression =
                settings.get("identityValidationExpression").filter(|v| !v.is_null()).cloned();
            authorizer.managed_externally = settings.get("managedExternally").is_some_and(truthy);
        }
        Value::String(text) => {
            if text.to_uppercase() == "AWS_IAM" {
                authorizer.kind = Some("AWS_IAM".into());
            } else if !text.contains(':') {
                authorizer.name = Some(text.clone());
                function_name = Some(text.clone());
            } else {
                authorizer.arn = Some(json!(text));
                authorizer.name = Some(name_from_arn(text));
            }
        }
        _ => {}
    }
    if let Some(name) = function_name {
        let Some(function) = compiler.functions.iter().find(|f| f.key == name) else {
            let keys: Vec<&str> = compiler.functions.iter().map(|f| f.key).collect();
            return Err(diagnostic::unknown_authorizer_function(path, &name, &keys));
        };
        authorizer.arn = Some(function.target());
        authorizer.logical_id = function.target_alias().map(|(_, id)| id);
    }
    let request_without_cache = authorizer.upper_kind() == "REQUEST" && authorizer.ttl == Some(0);
    let has_source = authorizer.identity_source.as_ref().is_some_and(truthy);
    // A request authorizer without caching may have no identity source.
    if !has_source && !request_without_cache {
        authorizer.identity_source = Some(json!("method.request.header.Authorization"));
    }
    let claims = authorizer.claims.as_ref().and_then(Value::as_array).is_some_and(|c| !c.is_empty());
    if http.integration == "AWS_PROXY"
        && authorizer.arn.as_ref().and_then(Value::as_str).is_some_and(is_cognito_arn)
        && claims
    {
        return Err(diagnostic::api_gateway_refused(
            path,
            "API_GATEWAY_INVALID_COGNITO_CLAIMS",
            "Cognito claims can only be filtered with the lambda integration (`integration: lambda`)".into(),
        ));
    }
    Ok(authorizer)
}

/// `getCors`.
fn cors_of(http: &Http) -> Cors {
    let defaults: Vec<Value> = super::super::DEFAULT_CORS_HEADERS.iter().map(|h| json!(h)).collect();
    let method = json!(http.method.to_uppercase());
    let mut cors = Cors {
        origin: Some(json!("*")),
        origins: None,
        headers: Value::Array(defaults.clone()),
        methods: vec![json!("OPTIONS")],
        allow_credentials: false,
        max_age: None,
        cache_control: None,
    };
    match http.get("cors") {
        Some(Value::Object(settings)) => {
            if settings.get("origins").is_some_and(truthy) {
                cors.origin = None;
            }
            let set = |key: &str| settings.get(key).cloned();
            if settings.contains_key("origin") {
                cors.origin = set("origin");
            }
            cors.origins = set("origins").filter(|v| !v.is_null());
            cors.max_age = set("maxAge").filter(|v| !v.is_null());
            cors.cache_control = set("cacheControl").filter(|v| !v.is_null());
            cors.methods = match settings.get("methods").filter(|v| truthy(v)) {
                Some(Value::Array(methods)) => methods.clone(),
                _ => Vec::new(),
            };
            cors.allow_credentials = settings.get("allowCredentials").is_some_and(truthy);
            cors.headers = match settings.get("headers").filter(|v| truthy(v)) {
                Some(Value::String(one)) => json!([one]),
                Some(headers) => headers.clone(),
                None => Value::Array(defaults),
            };
            if !cors.methods.contains(&json!("OPTIONS")) {
                cors.methods.push(json!("OPTIONS"));
            }
            if !cors.methods.contains(&method) {
                cors.methods.push(method);
            }
        }
        _ => cors.methods.push(method),
    }
    cors
}

/// `_.union(first, second)`: the distinct items of both lists, in order;
/// what is not a list counts as none.
fn union(first: Option<&Value>, second: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let first = first.and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    for item in first.iter().chain(second) {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

/// Merges one event's CORS into its path's preflight; the last event's
/// `origin`, `maxAge` and `cacheControl` win.
fn merge_preflight(preflight: &mut Vec<(String, Preflight)>, path: &str, cors: &Cors) {
    let position = match preflight.iter().position(|(p, _)| p == path) {
        Some(position) => position,
        None => {
            preflight.push((path.to_owned(), Preflight::default()));
            preflight.len() - 1
        }
    };
    let merged = &mut preflight[position].1;
    merged.headers = union(Some(&cors.headers), &merged.headers);
    merged.methods = union(Some(&Value::Array(cors.methods.clone())), &merged.methods);
    merged.origins = union(cors.origins.as_ref(), &merged.origins);
    merged.origin = cors.origin.clone();
    merged.allow_credentials = merged.allow_credentials || cors.allow_credentials;
    if let Some(age) = cors.max_age.as_ref().filter(|v| truthy(v)) {
        merged.max_age = Some(age.clone());
    }
    if let Some(control) = cors.cache_control.as_ref().filter(|v| truthy(v)) {
        merged.cache_control = Some(control.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorizer_names_come_from_the_arn_as_the_framework_cuts_them() {
        assert_eq!(name_from_arn("arn:aws:lambda:us-east-1:1:function:svc-dev-auth"), "auth");
        assert_eq!(name_from_arn("arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_ABC"), "1_ABC");
    }

    #[test]
    fn parse_int_reads_a_leading_integer() {
        assert_eq!(parse_int(Some(&json!(0))), Some(0));
        assert_eq!(parse_int(Some(&json!("30s"))), Some(30));
        assert_eq!(parse_int(Some(&json!(2.5))), Some(2));
        assert_eq!(parse_int(Some(&json!("x"))), None);
        assert_eq!(parse_int(None), None);
    }

    #[test]
    fn cognito_arns_are_told_by_their_service() {
        assert!(is_cognito_arn("arn:aws:cognito-idp:us-east-1:1:userpool/x"));
        assert!(is_cognito_arn("arn:aws-us-gov:cognito-idp:x"));
        assert!(!is_cognito_arn("arn:aws:lambda:us-east-1:1:function:cognito-idp"));
    }
}
