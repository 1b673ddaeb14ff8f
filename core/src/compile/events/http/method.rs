//! Methods of the REST API: CORS preflights (`lib/cors.js`), the events'
//! methods with their authorization, integration and responses
//! (`lib/method/`), request validators and models (`lib/request-validator.js`)
//! and authorizers (`lib/authorizers.js`).

use serde_json::{Map, Value, json};

use super::validate::{Http, Validated};
use super::{Api, invocation_uri, merge_resource, method_logical_id, permission_logical_id};
use crate::compile::Compiler;
use crate::js::{to_js_string, truthy};
use crate::naming;

const JSON_REQUEST_TEMPLATE: &str = include_str!("request-template.json.vtl");
const FORM_REQUEST_TEMPLATE: &str = include_str!("request-template.form.vtl");

/// The entries of a JavaScript object in the order `Object.entries` gives
/// them: integer-like keys ascending first, then the rest as inserted.
fn js_entries(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let index = |key: &str| {
        (key == "0" || (!key.starts_with('0') && key.chars().all(|c| c.is_ascii_digit())))
            .then(|| key.parse::<u32>().ok().filter(|n| *n < u32::MAX))
            .flatten()
    };
    let mut integers: Vec<(u32, (&String, &Value))> =
        map.iter().filter_map(|(k, v)| index(k).map(|n| (n, (k, v)))).collect();
    integers.sort_by_key(|(n, _)| *n);
    let mut entries: Vec<(&String, &Value)> = integers.into_iter().map(|(_, e)| e).collect();
    entries.extend(map.iter().filter(|(k, _)| index(k).is_none()));
    entries
}

/// `compileCors`: an `OPTIONS` method with a mock integration per path.
pub(super) fn cors(compiler: &mut Compiler<'_>, api: &mut Api, validated: &Validated) {
    for (path, config) in &validated.preflight {
        let id = method_logical_id(&api.resource_name(path), "options");
        let mut origin = config.origin.clone();
        let mut origins = config.origins.clone();
        if let Some(Value::String(text)) = &origin
            && text.contains(',')
        {
            origins = text.split(',').map(|o| json!(o.trim())).collect();
        }
        if let Some(first) = origins.first() {
            origin = Some(first.clone());
        }
        let quoted = |value: String| format!("'{value}'");
        let mut headers: Vec<(&str, String)> = vec![
            ("Access-Control-Allow-Origin", quoted(to_js_string(origin.as_ref()))),
            ("Access-Control-Allow-Headers", quoted(to_js_string(Some(&Value::Array(config.headers.clone()))))),
            ("Access-Control-Allow-Methods", quoted(to_js_string(Some(&Value::Array(config.methods.clone()))))),
        ];
        if config.allow_credentials {
            headers.push(("Access-Control-Allow-Credentials", "'true'".into()));
        }
        if let Some(age) = &config.max_age {
            headers.push(("Access-Control-Max-Age", quoted(to_js_string(Some(age)))));
        }
        if let Some(control) = &config.cache_control {
            headers.push(("Cache-Control", quoted(to_js_string(Some(control)))));
        }
        if config.methods.contains(&json!("ANY")) {
            headers[2].1 = crate::js::replace_first(&headers[2].1, "ANY", "DELETE,GET,HEAD,PATCH,POST,PUT");
        }
        let mut method_headers = Map::new();
        let mut integration_headers = Map::new();
        for (name, value) in &headers {
            method_headers.insert(format!("method.response.header.{name}"), json!(true));
            integration_headers.insert(format!("method.response.header.{name}"), json!(value));
        }
        let template = if origins.is_empty() { String::new() } else { origins_template(&origins) };
        api.method_ids.push(id.clone());
        let resource = json!({
            "Type": "AWS::ApiGateway::Method",
            "Properties": {
                "AuthorizationType": "NONE",
                "HttpMethod": "OPTIONS",
                "MethodResponses": [{"StatusCode": "200", "ResponseParameters": method_headers, "ResponseModels": {}}],
                "RequestParameters": {},
                "Integration": {
                    "Type": "MOCK",
                    "RequestTemplates": {"application/json": "{statusCode:200}"},
                    "ContentHandling": "CONVERT_TO_TEXT",
                    "IntegrationResponses": [{
                        "StatusCode": "200",
                        "ResponseParameters": integration_headers,
                        "ResponseTemplates": {"application/json": template}
                    }]
                },
                "ResourceId": api.resource_id(path),
                "RestApiId": api.rest_api_id
            }
        });
        merge_resource(compiler, &id, resource);
    }
}

/// `generateCorsResponseTemplate`: echoes the request's origin when it
/// matches one of the allowed ones (`*` is a wildcard).
fn origins_template(origins: &[Value]) -> String {
    let tests: Vec<String> = origins
        .iter()
        .map(|o| {
            let pattern = crate::js::replace_first(&to_js_string(Some(o)).replace('.', "[.]"), "*", ".+");
            format!("$origin.matches(\"{pattern}\")")
        })
        .collect();
    format!(
        "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"\") #set($origin = $input.params(\"origin\")) #end\n#if({}) #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end",
        tests.join(" || ")
    )
}

/// `compileMethods`: one method per event.
pub(super) fn methods(compiler: &mut Compiler<'_>, api: &mut Api, validated: &Validated) {
    for event in &validated.events {
        let function = &compiler.functions[event.function];
        let mut request_parameters = Map::new();
        if let Some(Value::Object(parameters)) = event.request.as_ref().and_then(|r| r.get("parameters")) {
            for (key, value) in parameters {
                let required = match value {
                    Value::Object(settings) => {
                        settings.get("required").filter(|v| !v.is_null()).cloned().unwrap_or(json!(true))
                    }
                    Value::Array(_) => json!(true),
                    scalar => scalar.clone(),
                };
                request_parameters.insert(key.clone(), required);
            }
        }
        let mut properties = Map::new();
        properties.insert("HttpMethod".into(), json!(event.method.to_uppercase()));
        properties.insert("RequestParameters".into(), Value::Object(request_parameters));
        properties.insert("ResourceId".into(), api.resource_id(&event.path));
        properties.insert("RestApiId".into(), api.rest_api_id.clone());
        if let Some(operation) = event.get("operationId") {
            properties.insert("OperationName".into(), operation.clone());
        }
        properties.insert("ApiKeyRequired".into(), json!(event.get("private").is_some_and(truthy)));
        let mut template = json!({
            "Type": "AWS::ApiGateway::Method",
            "Properties": properties,
            "DependsOn": [permission_logical_id(function.key)]
        });
        let alias = function.target_alias();
        if let Some((_, alias_id)) = &alias
            && let Some(depends) = template["DependsOn"].as_array_mut()
        {
            depends.push(json!(alias_id));
        }
        let id = method_logical_id(&api.resource_name(&event.path), &event.method);
        crate::js::merge(&mut template, &authorization(event));
        crate::js::merge(&mut template, &integration(event, &function.logical_id, alias.map(|(name, _)| name)));
        crate::js::merge(&mut template, &json!({"Properties": {"MethodResponses": method_responses(event)}}));
        if let Some(authorizer) = &event.authorizer {
            let claims: Vec<String> = authorizer
                .claims
                .as_ref()
                .and_then(Value::as_array)
                .map(|claims| claims.iter().map(claim_mapping).collect())
                .unwrap_or_default();
            let replacement = if claims.is_empty() { String::new() } else { format!("{},", claims.join(",")) };
            if let Some(Value::Object(templates)) = template.pointer_mut("/Properties/Integration/RequestTemplates") {
                for value in templates.values_mut() {
                    if let Value::String(text) = value {
                        *text = crate::js::replace_first(text, "extraCognitoPoolClaims", &replacement);
                    }
                }
            }
        } else if let Some(Value::Object(templates)) = template.pointer_mut("/Properties/Integration/RequestTemplates")
        {
            for value in templates.values_mut() {
                if let Value::String(text) = value {
                    *text = crate::js::replace_first(text, "extraCognitoPoolClaims", "");
                }
            }
        }
        api.method_ids.push(id.clone());
        merge_resource(compiler, &id, template);
    }
}

/// One Cognito claim passed to a lambda integration's template.
fn claim_mapping(claim: &Value) -> String {
    if let Value::String(claim) = claim
        && let Some((_, sub)) = claim.split_once(':')
    {
        return format!("\"{sub}\": \"$context.authorizer.claims['{claim}']\"");
    }
    let claim = to_js_string(Some(claim));
    format!("\"{claim}\": \"$context.authorizer.claims.{claim}\"")
}

/// `getMethodAuthorization`.
fn authorization(event: &Http) -> Value {
    let Some(authorizer) = &event.authorizer else {
        return json!({"Properties": {"AuthorizationType": "NONE"}});
    };
    if authorizer.kind.as_deref() == Some("AWS_IAM") {
        return json!({"Properties": {"AuthorizationType": "AWS_IAM"}});
    }
    let scopes = authorizer.scopes.as_ref().filter(|s| s.as_array().is_some_and(|s| !s.is_empty()));
    if let (Some(kind), Some(id)) = (&authorizer.kind, &authorizer.authorizer_id) {
        let upper = kind.to_uppercase();
        let kind = if upper == "TOKEN" || upper == "REQUEST" { "CUSTOM".to_owned() } else { kind.clone() };
        let mut properties = Map::new();
        properties.insert("AuthorizationType".into(), json!(kind));
        properties.insert("AuthorizerId".into(), id.clone());
        if upper == "COGNITO_USER_POOLS"
            && let Some(scopes) = scopes
        {
            properties.insert("AuthorizationScopes".into(), scopes.clone());
        }
        return json!({"Properties": properties});
    }
    let id = authorizer_logical_id(authorizer.name.as_deref().unwrap_or("undefined"));
    let mut properties = Map::new();
    if authorizer.is_cognito() {
        properties.insert("AuthorizationType".into(), json!("COGNITO_USER_POOLS"));
        properties.insert("AuthorizerId".into(), json!({"Ref": id}));
        if let Some(scopes) = scopes {
            properties.insert("AuthorizationScopes".into(), scopes.clone());
        }
    } else {
        properties.insert("AuthorizationType".into(), json!("CUSTOM"));
        properties.insert("AuthorizerId".into(), json!({"Ref": id}));
    }
    json!({"Properties": properties, "DependsOn": [id]})
}

/// `naming.getAuthorizerLogicalId`.
fn authorizer_logical_id(name: &str) -> String {
    format!("{}ApiGatewayAuthorizer", naming::normalized_resource_name(name))
}

/// `getMethodIntegration`.
fn integration(event: &Http, lambda_id: &str, alias: Option<&str>) -> Value {
    let kind = event.integration.as_str();
    let request = event.request.as_ref();
    let from_request = |key: &str| request.and_then(|r| r.get(key)).filter(|v| !v.is_null()).cloned();
    let mut integration = Map::new();
    integration.insert("IntegrationHttpMethod".into(), json!("POST"));
    integration.insert("Type".into(), json!(kind));
    match kind {
        "AWS" | "AWS_PROXY" => {
            let mut target = vec![json!({"Fn::GetAtt": [lambda_id, "Arn"]})];
            if let Some(alias) = alias {
                target.extend([json!(":"), json!(alias)]);
            }
            integration.insert("Uri".into(), invocation_uri(&target));
        }
        "HTTP" | "HTTP_PROXY" => {
            if let Some(uri) = request.and_then(|r| r.get("uri")) {
                integration.insert("Uri".into(), uri.clone());
            }
            let method =
                from_request("method").filter(truthy).map_or_else(|| event.method.clone(), |m| to_js_string(Some(&m)));
            integration.insert("IntegrationHttpMethod".into(), json!(method.to_uppercase()));
            if let Some(kind) = &event.connection_type {
                integration.insert("ConnectionType".into(), json!(kind));
                if let Some(id) = event.get("connectionId") {
                    integration.insert("ConnectionId".into(), id.clone());
                }
            }
        }
        _ => {}
    }
    if matches!(kind, "AWS" | "HTTP" | "MOCK") {
        if let Some(pass) = from_request("passThrough") {
            integration.insert("PassthroughBehavior".into(), pass);
        }
        if let Some(handling) = from_request("contentHandling") {
            integration.insert("ContentHandling".into(), handling);
        }
        if let Some(templates) = request_templates(event, kind == "AWS") {
            integration.insert("RequestTemplates".into(), templates);
        }
        integration.insert("IntegrationResponses".into(), Value::Array(integration_responses(event)));
    }
    let parameters = request.and_then(|r| r.get("parameters")).filter(|v| truthy(v));
    let has_parameters = parameters.and_then(Value::as_object).is_some_and(|p| !p.is_empty());
    let is_async = event.get("async").is_some_and(truthy);
    if (matches!(kind, "AWS" | "HTTP" | "HTTP_PROXY") && has_parameters) || is_async {
        let mut mapped = Map::new();
        if let Some(Value::Object(parameters)) = parameters {
            for (key, value) in parameters {
                let target = format!("integration.{}", key.chars().skip("method.".len()).collect::<String>());
                let source = value.get("mappedValue").filter(|v| truthy(v)).cloned().unwrap_or_else(|| json!(key));
                mapped.insert(target, source);
            }
        }
        if is_async {
            mapped.insert("integration.request.header.X-Amz-Invocation-Type".into(), json!("'Event'"));
        }
        integration.insert("RequestParameters".into(), Value::Object(mapped));
    }
    json!({"Properties": {"Integration": integration}})
}

/// `getIntegrationRequestTemplates`: the lambda integration's defaults, then
/// `request.template` (`null` removes a content type).
fn request_templates(event: &Http, defaults: bool) -> Option<Value> {
    let mut templates = Map::new();
    if defaults {
        templates.insert("application/json".into(), json!(JSON_REQUEST_TEMPLATE));
        templates.insert("application/x-www-form-urlencoded".into(), json!(FORM_REQUEST_TEMPLATE));
    }
    if let Some(Value::Object(given)) = event.request.as_ref().and_then(|r| r.get("template")) {
        for (content_type, template) in given {
            if template.is_null() {
                templates.remove(content_type);
            } else {
                templates.insert(content_type.clone(), template.clone());
            }
        }
    }
    (!templates.is_empty()).then_some(Value::Object(templates))
}

/// The response headers CORS and `response.headers` add, by header name.
fn response_headers(event: &Http, response: &Map<String, Value>) -> Map<String, Value> {
    let mut headers = Map::new();
    if let Some(cors) = &event.cors {
        let mut origin = to_js_string(cors.origin.as_ref());
        if let Some(Value::Array(origins)) = &cors.origins
            && !origins.is_empty()
        {
            origin = to_js_string(Some(&Value::Array(origins.clone())));
        }
        headers.insert("Access-Control-Allow-Origin".into(), json!(format!("'{origin}'")));
        if cors.allow_credentials {
            headers.insert("Access-Control-Allow-Credentials".into(), json!("true"));
        }
    }
    if let Some(Value::Object(extra)) = response.get("headers") {
        for (name, value) in extra {
            headers.insert(name.clone(), value.clone());
        }
    }
    headers
}

fn prefixed(headers: &Map<String, Value>, value: impl Fn(&Value) -> Value) -> Map<String, Value> {
    headers.iter().map(|(name, v)| (format!("method.response.header.{name}"), value(v))).collect()
}

/// `getIntegrationResponses`.
fn integration_responses(event: &Http) -> Vec<Value> {
    let Some(response) = &event.response else { return Vec::new() };
    let headers = response_headers(event, response);
    let Some(Value::Object(codes)) = response.get("statusCodes") else { return Vec::new() };
    let mut out = Vec::new();
    for (code, config) in js_entries(codes) {
        let mut parameters = prefixed(&headers, Value::clone);
        if let Some(Value::Object(extra)) = config.get("headers") {
            parameters.extend(prefixed(extra, Value::clone));
        }
        let mut templates = Map::new();
        if let Some(template) = response.get("template").filter(|v| !v.is_null()) {
            templates.insert("application/json".into(), template.clone());
        }
        match config.get("template") {
            Some(Value::String(text)) if !text.is_empty() => {
                templates.insert("application/json".into(), json!(text));
            }
            Some(Value::Object(given)) => {
                for (content_type, template) in given {
                    templates.insert(content_type.clone(), template.clone());
                }
            }
            _ => {}
        }
        let pattern = config.get("pattern").filter(|v| truthy(v)).cloned().unwrap_or(json!(""));
        let mut entry = Map::new();
        entry.insert("StatusCode".into(), json!(code));
        entry.insert("SelectionPattern".into(), pattern);
        entry.insert("ResponseParameters".into(), Value::Object(parameters));
        entry.insert("ResponseTemplates".into(), Value::Object(templates));
        if code.starts_with('2')
            && let Some(handling) = response.get("contentHandling").filter(|v| !v.is_null())
        {
            entry.insert("ContentHandling".into(), handling.clone());
        }
        out.push(Value::Object(entry));
    }
    out
}

/// `getMethodResponses`: only for the lambda, HTTP and mock integrations.
fn method_responses(event: &Http) -> Vec<Value> {
    if !matches!(event.integration.as_str(), "AWS" | "HTTP" | "MOCK") {
        return Vec::new();
    }
    let Some(response) = &event.response else { return Vec::new() };
    let headers = response_headers(event, response);
    let Some(Value::Object(codes)) = response.get("statusCodes") else { return Vec::new() };
    let mut out = Vec::new();
    for (code, config) in js_entries(codes) {
        let mut parameters = prefixed(&headers, |_| json!(true));
        if let Some(Value::Object(extra)) = config.get("headers") {
            parameters.extend(prefixed(extra, |_| json!(true)));
        }
        out.push(json!({"ResponseParameters": parameters, "ResponseModels": {}, "StatusCode": code}));
    }
    out
}

/// `compileRequestValidators`: a validator where parameters are required
/// or bodies have schemas, and a model per schema.
pub(super) fn request_validators(compiler: &mut Compiler<'_>, api: &Api, validated: &Validated) {
    let validator_id = format!("ApiGateway{}RequestValidator", naming::alphanumeric_only(&compiler.service));
    let provider_schemas =
        compiler.provider("apiGateway").and_then(|a| a.get("request")).and_then(|r| r.get("schemas")).cloned();
    for event in &validated.events {
        let Some(request) = &event.request else { continue };
        let method_id = method_logical_id(&api.resource_name(&event.path), &event.method);
        let required = request.get("parameters").and_then(Value::as_object).is_some_and(|parameters| {
            parameters.values().any(|p| match p {
                Value::Object(settings) => settings.get("required").filter(|v| !v.is_null()).is_none_or(truthy),
                Value::Array(_) => true,
                scalar => truthy(scalar),
            })
        });
        let mut properties = Map::new();
        if required {
            ensure_validator(compiler, api, &validator_id);
            properties.insert("RequestValidatorId".into(), json!({"Ref": validator_id}));
        }
        let mut models = Map::new();
        if let Some(Value::Object(schemas)) = request.get("schemas") {
            for (content_type, schema) in schemas {
                ensure_validator(compiler, api, &validator_id);
                let referenced = match schema {
                    Value::Object(_) | Value::Array(_) => None,
                    id => provider_schemas
                        .as_ref()
                        .and_then(|s| crate::js::get(s, &to_js_string(Some(id)).split('.').collect::<Vec<_>>()))
                        .filter(|v| truthy(v))
                        .map(|config| (to_js_string(Some(id)), config.clone())),
                };
                let model_id = match referenced {
                    Some((id, config)) => provider_model(compiler, api, &id, &config),
                    None => {
                        let (name, description, definition) = match schema {
                            Value::Object(settings) if settings.get("schema").is_some_and(truthy) => (
                                settings.get("name").cloned(),
                                settings.get("description").cloned(),
                                settings["schema"].clone(),
                            ),
                            other => (None, None, other.clone()),
                        };
                        let id = format!("{method_id}{}Model", start_case(content_type).replace(' ', ""));
                        let mut model = Map::new();
                        model.insert("RestApiId".into(), api.rest_api_id.clone());
                        model.insert("ContentType".into(), json!(content_type));
                        model.insert("Schema".into(), definition);
                        if let Some(name) = name.filter(|v| !v.is_null()) {
                            model.insert("Name".into(), name);
                        }
                        if let Some(description) = description.filter(|v| !v.is_null()) {
                            model.insert("Description".into(), description);
                        }
                        compiler
                            .resources
                            .insert(id.clone(), json!({"Type": "AWS::ApiGateway::Model", "Properties": model}));
                        id
                    }
                };
                properties.insert("RequestValidatorId".into(), json!({"Ref": validator_id}));
                models.insert(content_type.clone(), json!({"Ref": model_id}));
            }
        }
        if !models.is_empty() {
            properties.insert("RequestModels".into(), Value::Object(models));
        }
        if let Some(Value::Object(method)) =
            compiler.resources.get_mut(&method_id).and_then(|m| m.get_mut("Properties"))
        {
            method.extend(properties);
        }
    }
}

/// `createRequestValidator` (memoised: written once).
fn ensure_validator(compiler: &mut Compiler<'_>, api: &Api, id: &str) {
    if compiler.resources.contains_key(id) {
        return;
    }
    let name = format!("{}-{} | Validate request body and querystring parameters", compiler.service, compiler.stage);
    compiler.resources.insert(
        id.to_owned(),
        json!({"Type": "AWS::ApiGateway::RequestValidator", "Properties": {
            "RestApiId": api.rest_api_id,
            "ValidateRequestBody": true,
            "ValidateRequestParameters": true,
            "Name": name
        }}),
    );
}

/// `createProviderModel`: a model from `provider.apiGateway.request.schemas`.
fn provider_model(compiler: &mut Compiler<'_>, _api: &Api, schema_id: &str, config: &Value) -> String {
    let definition = config.get("schema").filter(|v| truthy(v)).cloned().unwrap_or_else(|| config.clone());
    let id = format!("ApiGateway{}Model", naming::upper_first(&camel_case(schema_id)));
    let mut properties = Map::new();
    properties.insert("RestApiId".into(), json!({"Ref": super::REST_API}));
    properties.insert("Schema".into(), definition);
    properties.insert("ContentType".into(), json!("application/json"));
    if let Some(name) = config.get("name").filter(|v| truthy(v)) {
        properties.insert("Name".into(), name.clone());
    }
    if let Some(description) = config.get("description").filter(|v| truthy(v)) {
        properties.insert("Description".into(), description.clone());
    }
    compiler.resources.insert(id.clone(), json!({"Type": "AWS::ApiGateway::Model", "Properties": properties}));
    id
}

/// `compileAuthorizers`: an authorizer for each event whose authorizer has
/// an ARN (a function of this service, a Lambda ARN or a user pool).
pub(super) fn authorizers(compiler: &mut Compiler<'_>, api: &Api, validated: &Validated) {
    for event in &validated.events {
        let Some(authorizer) = &event.authorizer else { continue };
        let Some(arn) = authorizer.arn.as_ref().filter(|v| truthy(v)) else { continue };
        let name = authorizer.name.clone().unwrap_or_default();
        let mut properties = Map::new();
        if let Some(ttl) = authorizer.ttl {
            properties.insert("AuthorizerResultTtlInSeconds".into(), json!(ttl));
        }
        if let Some(source) = &authorizer.identity_source {
            properties.insert("IdentitySource".into(), source.clone());
        }
        properties.insert("Name".into(), json!(name));
        properties.insert("RestApiId".into(), api.rest_api_id.clone());
        if let Some(expression @ Value::String(_)) = &authorizer.identity_validation_expression {
            properties.insert("IdentityValidationExpression".into(), expression.clone());
        }
        if authorizer.is_cognito() {
            properties.insert("Type".into(), json!("COGNITO_USER_POOLS"));
            properties.insert("ProviderARNs".into(), json!([arn]));
        } else {
            properties.insert("AuthorizerUri".into(), invocation_uri(std::slice::from_ref(arn)));
            let kind = authorizer.kind.as_deref().filter(|k| !k.is_empty()).map_or("TOKEN".into(), str::to_uppercase);
            properties.insert("Type".into(), json!(kind));
        }
        let mut resource = Map::new();
        resource.insert("Type".into(), json!("AWS::ApiGateway::Authorizer"));
        if let Some(alias_id) = &authorizer.logical_id {
            resource.insert("DependsOn".into(), json!(alias_id));
        }
        resource.insert("Properties".into(), Value::Object(properties));
        merge_resource(compiler, &authorizer_logical_id(&name), Value::Object(resource));
    }
}

/// lodash `words` for ASCII text: runs of letters and digits, split where
/// lodash splits them (`fooBar` → `foo`, `Bar`; `XMLHttp` → `XML`, `Http`;
/// `v1` → `v`, `1`).
fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let unicode = chars.windows(2).any(|w| {
        (w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
            || (w[0].is_ascii_digit() && w[1].is_ascii_alphabetic())
            || (w[0].is_ascii_alphabetic() && w[1].is_ascii_digit())
    }) || chars
        .windows(3)
        .any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase() && w[2].is_ascii_lowercase())
        || chars.iter().any(|c| !c.is_ascii_alphanumeric() && *c != ' ');
    if !unicode {
        return text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect();
    }
    let is_break = |c: Option<&char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let upper_run = chars[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let lower_from = |start: usize| chars[start..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        // `[A-Z]?[a-z]+` before a break, an upper-case letter or the end.
        let start_lower = if chars[i].is_ascii_uppercase() { i + 1 } else { i };
        let lowers = if start_lower <= chars.len() { lower_from(start_lower.min(chars.len())) } else { 0 };
        if lowers > 0 && (start_lower == i || chars[i].is_ascii_uppercase()) {
            let end = start_lower + lowers;
            let next = chars.get(end);
            if is_break(next) || next.is_some_and(char::is_ascii_uppercase) {
                out.push(chars[i..end].iter().collect());
                i = end;
                continue;
            }
        }
        // `[A-Z]+` before a break, an upper-case letter followed by a
        // lower-case one, or the end (backtracking to the longest such run).
        if upper_run > 0 {
            let fits = (1..=upper_run).rev().find(|&n| {
                let next = chars.get(i + n);
                is_break(next)
                    || (next.is_some_and(char::is_ascii_uppercase)
                        && chars.get(i + n + 1).is_some_and(char::is_ascii_lowercase))
            });
            if let Some(n) = fits {
                out.push(chars[i..i + n].iter().collect());
                i += n;
                continue;
            }
        }
        // `[A-Z]?[a-z]+` anywhere, then `[A-Z]+`.
        if lowers > 0 {
            let end = start_lower + lowers;
            out.push(chars[i..end].iter().collect());
            i = end;
            continue;
        }
        if upper_run > 0 {
            out.push(chars[i..i + upper_run].iter().collect());
            i += upper_run;
            continue;
        }
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            out.push(chars[i..i + digits].iter().collect());
            i += digits;
            continue;
        }
        i += 1;
    }
    out
}

/// lodash `camelCase`.
fn camel_case(text: &str) -> String {
    let cleaned: String = text.chars().filter(|c| *c != '\'' && *c != '\u{2019}').collect();
    words(&cleaned)
        .iter()
        .enumerate()
        .map(|(i, word)| if i == 0 { word.to_lowercase() } else { naming::upper_first(&word.to_lowercase()) })
        .collect()
}

/// lodash `startCase`: each word with its first letter upper-cased, joined
/// by spaces.
fn start_case(text: &str) -> String {
    let cleaned: String = text.chars().filter(|c| *c != '\'' && *c != '\u{2019}').collect();
    words(&cleaned).iter().map(|w| naming::upper_first(w)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_as_lodash_does() {
        // Expected values from lodash 4.17 in Node.
        let cases: &[(&str, &[&str])] = &[
            ("application/json", &["application", "json"]),
            ("application/vnd.api+json", &["application", "vnd", "api", "json"]),
            ("text/plain", &["text", "plain"]),
            ("post-create-model", &["post", "create", "model"]),
            ("CreateUser", &["Create", "User"]),
            ("XMLHttpRequest", &["XML", "Http", "Request"]),
            ("user_v1", &["user", "v", "1"]),
            ("v1beta", &["v", "1", "beta"]),
            ("simple", &["simple"]),
            ("ABC", &["ABC"]),
            ("myModel", &["my", "Model"]),
            ("my_model-v2", &["my", "model", "v", "2"]),
            ("createUserRequest", &["create", "User", "Request"]),
            ("Foo Bar", &["Foo", "Bar"]),
            ("fooBAR", &["foo", "BAR"]),
            ("FOOBar", &["FOO", "Bar"]),
            ("a1b2", &["a", "1", "b", "2"]),
            ("application/x-www-form-urlencoded", &["application", "x", "www", "form", "urlencoded"]),
        ];
        for (text, expected) in cases {
            assert_eq!(words(text), expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{text}");
        }
        assert_eq!(camel_case("post-create-model"), "postCreateModel");
        assert_eq!(camel_case("XMLHttpRequest"), "xmlHttpRequest");
        assert_eq!(camel_case("my_model-v2"), "myModelV2");
        assert_eq!(start_case("application/json"), "Application Json");
        assert_eq!(start_case("fooBAR"), "Foo BAR");
    }

    #[test]
    fn status_codes_come_in_javascript_key_order() {
        let map: Map<String, Value> = [("500", 1), ("x", 2), ("200", 3), ("0", 4), ("01", 5)]
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let keys: Vec<&str> = js_entries(&map).iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["0", "200", "500", "x", "01"]);
    }
}
