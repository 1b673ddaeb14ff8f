//! `package:compileFunctions`: each function, its version, function URL and
//! event invoke config (`compile/functions.js`).

use serde_json::{Map, Value, json};

use super::core_template::{is_existing_role, tag_list};
use super::{Compiler, Function, placeholder};
use crate::diagnostic;
use crate::js::truthy;

/// Function keys the Framework compiles that canaria does not.
const UNSUPPORTED_KEYS: &[&str] = &["image"];

/// Every function, then (as the Framework's awaits order them) the
/// versions and what hangs off them.
pub(super) fn compile(compiler: &mut Compiler<'_>) {
    let functions = std::mem::take(&mut compiler.functions);
    let mut later = Vec::new();
    for function in &functions {
        for key in UNSUPPORTED_KEYS {
            if function.config.contains_key(*key) {
                compiler.diagnostics.push(diagnostic::unsupported_key(format!("{}.{key}", function.path()), key));
            }
        }
        if function.get("handler").is_none() {
            compiler.diagnostics.push(diagnostic::handler_missing(function.path()));
            continue;
        }
        let resource = function_resource(compiler, function);
        compiler.resources.insert(function.logical_id.clone(), resource);
        if versioned(compiler, function) {
            later.push(function);
        } else {
            url(compiler, function);
            invoke_config(compiler, function, &functions);
        }
    }
    for function in later {
        version(compiler, function);
        url(compiler, function);
        invoke_config(compiler, function, &functions);
    }
    compiler.functions = functions;
}

/// `versionFunction`, else `provider.versionFunctions` (default `true`), or
/// an alias that needs a version.
fn versioned(compiler: &Compiler<'_>, function: &Function<'_>) -> bool {
    should_version(compiler, function)
        || function.get("provisionedConcurrency").is_some_and(truthy)
        || snap_start(function)
}

fn should_version(compiler: &Compiler<'_>, function: &Function<'_>) -> bool {
    match function.get("versionFunction").or_else(|| compiler.provider("versionFunctions")) {
        Some(setting) => truthy(setting),
        None => true,
    }
}

fn snap_start(function: &Function<'_>) -> bool {
    function.get("snapStart").is_some_and(truthy)
}

/// The function's own setting, else the provider's.
fn either<'c>(compiler: &Compiler<'c>, function: &Function<'c>, key: &str) -> Option<&'c Value> {
    function.config.get(key).filter(|v| truthy(v)).or_else(|| compiler.provider(key).filter(|v| truthy(v)))
}

fn function_resource(compiler: &mut Compiler<'_>, function: &Function<'_>) -> Value {
    let mut properties = Map::new();
    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Lambda::Function"));
    // Holds its place: `Condition` and `DependsOn` come after it.
    resource.insert("Properties".into(), Value::Null);
    properties.insert("Code".into(), json!({}));

    let mode = |setting: Option<&Value>| match setting {
        Some(Value::String(mode)) => (Some(mode.clone()), None),
        Some(Value::Object(map)) => {
            (map.get("mode").and_then(Value::as_str).map(str::to_owned), map.get("arn").cloned())
        }
        _ => (None, None),
    };
    let (provider_mode, provider_arn) = mode(compiler.provider("runtimeManagement"));
    let (own_mode, own_arn) = mode(function.get("runtimeManagement"));
    let runtime_mode = own_mode.or(provider_mode).unwrap_or_else(|| "auto".into());
    if runtime_mode != "auto" {
        let update = match runtime_mode.as_str() {
            "onFunctionUpdate" => Some("FunctionUpdate"),
            "manual" => Some("Manual"),
            _ => None,
        };
        let mut config = Map::new();
        if let Some(update) = update {
            config.insert("UpdateRuntimeOn".into(), json!(update));
        }
        if runtime_mode == "manual"
            && let Some(arn) = own_arn.or(provider_arn)
        {
            config.insert("RuntimeVersionArn".into(), arn);
        }
        properties.insert("RuntimeManagementConfig".into(), Value::Object(config));
    }

    properties.insert("Handler".into(), function.get("handler").cloned().unwrap_or(Value::Null));
    let bucket = match compiler.provider("deploymentBucket") {
        Some(Value::String(name)) => json!(name),
        Some(Value::Object(settings)) if settings.get("name").is_some_and(truthy) => settings["name"].clone(),
        _ => json!({"Ref": "ServerlessDeploymentBucket"}),
    };
    properties["Code"] = json!({"S3Bucket": bucket, "S3Key": s3_key(compiler, function)});
    properties.insert(
        "Runtime".into(),
        either(compiler, function, "runtime").cloned().unwrap_or_else(|| json!("nodejs16.x")),
    );
    properties.insert("FunctionName".into(), json!(function.name));
    properties.insert("MemorySize".into(), either(compiler, function, "memorySize").cloned().unwrap_or(json!(1024)));
    properties.insert("Timeout".into(), either(compiler, function, "timeout").cloned().unwrap_or(json!(6)));
    if let Some(architecture) = either(compiler, function, "architecture") {
        properties.insert("Architectures".into(), json!([architecture]));
    }
    if let Some(description) = function.get("description").filter(|v| truthy(v)) {
        properties.insert("Description".into(), description.clone());
    }
    if let Some(condition) = function.get("condition").filter(|v| truthy(v)) {
        resource.insert("Condition".into(), condition.clone());
    }
    let mut depends: Option<Vec<Value>> = None;
    if let Some(extra) = function.get("dependsOn").filter(|v| truthy(v)) {
        depends = Some(concat(Vec::new(), extra));
    }
    let provider_tags = compiler.provider("tags").filter(|v| truthy(v));
    let own_tags = function.get("tags").filter(|v| truthy(v));
    if provider_tags.is_some() || own_tags.is_some() {
        let mut tags = Map::new();
        for source in [provider_tags, own_tags].into_iter().flatten() {
            if let Some(source) = source.as_object() {
                tags.extend(source.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        properties.insert("Tags".into(), tag_list(&tags));
    }
    if let Some(size) = function.get("ephemeralStorageSize").filter(|v| truthy(v)) {
        properties.insert("EphemeralStorage".into(), json!({"Size": size}));
    }
    if let Some(target) = function.get("onError").filter(|v| truthy(v)) {
        properties.insert("DeadLetterConfig".into(), json!({"TargetArn": target}));
        if target.is_string()
            && let Some(statements) = compiler.role_statements()
        {
            statements.push(json!({"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [target]}));
        }
    }
    if let Some(key) = function.get("kmsKeyArn").or_else(|| compiler.provider("kmsKeyArn")).filter(|v| truthy(v)) {
        properties.insert("KmsKeyArn".into(), key.clone());
        if key.is_string() {
            union_statement(compiler, json!({"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [key]}));
        }
    }
    let tracing = function
        .get("tracing")
        .filter(|v| truthy(v))
        .or_else(|| compiler.provider("tracing").and_then(|t| t.get("lambda")).filter(|v| truthy(v)));
    if let Some(tracing) = tracing {
        let mode = if tracing.is_boolean() { json!("Active") } else { tracing.clone() };
        properties.insert("TracingConfig".into(), json!({"Mode": mode}));
        union_statement(
            compiler,
            json!({"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": ["*"]}),
        );
    }
    let provider_env = compiler.provider("environment").filter(|v| truthy(v));
    let own_env = function.get("environment").filter(|v| truthy(v));
    if provider_env.is_some() || own_env.is_some() {
        let mut variables = Map::new();
        for source in [provider_env, own_env].into_iter().flatten() {
            if let Some(source) = source.as_object() {
                variables.extend(source.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        properties.insert("Environment".into(), json!({"Variables": variables}));
    }
    let role =
        custom_role(compiler, function).cloned().unwrap_or_else(|| json!(crate::naming::EXECUTION_ROLE_LOGICAL_ID));
    match &role {
        Value::String(arn) if arn.starts_with("arn:") => {
            properties.insert("Role".into(), role.clone());
        }
        Value::String(id) => {
            properties.insert("Role".into(), json!({"Fn::GetAtt": [id, "Arn"]}));
            if id != crate::naming::EXECUTION_ROLE_LOGICAL_ID {
                depends = Some(concat(depends.unwrap_or_default(), &role));
            }
        }
        Value::Object(map) if map.contains_key("Fn::GetAtt") => {
            properties.insert("Role".into(), role.clone());
            let target = role.pointer("/Fn::GetAtt/0").cloned().unwrap_or(Value::Null);
            depends = Some(concat(depends.unwrap_or_default(), &target));
        }
        _ => {
            properties.insert("Role".into(), role.clone());
        }
    }
    let own_vpc = function.config.get("vpc");
    if !matches!(own_vpc, Some(Value::Null | Value::Bool(false))) {
        let provider_vpc = compiler.provider("vpc");
        let pick = |key: &str| {
            own_vpc
                .and_then(|v| v.get(key))
                .filter(|v| truthy(v))
                .or_else(|| provider_vpc.and_then(|v| v.get(key)).filter(|v| truthy(v)))
        };
        if let (Some(groups), Some(subnets)) = (pick("securityGroupIds"), pick("subnetIds")) {
            properties.insert("VpcConfig".into(), json!({"SecurityGroupIds": groups, "SubnetIds": subnets}));
        }
    }
    if let Some(file_system) = function.get("fileSystemConfig").filter(|v| truthy(v)) {
        if properties.contains_key("VpcConfig") {
            let arn = file_system.get("arn").cloned().unwrap_or(Value::Null);
            if let Some(statements) = compiler.role_statements() {
                statements.push(json!({
                    "Effect": "Allow",
                    "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    "Resource": [arn]
                }));
            }
            let mount = file_system.get("localMountPath").cloned().unwrap_or(Value::Null);
            properties.insert("FileSystemConfigs".into(), json!([{"Arn": arn, "LocalMountPath": mount}]));
        } else {
            compiler
                .diagnostics
                .push(diagnostic::file_system_without_vpc(format!("{}.fileSystemConfig", function.path())));
        }
    }
    if let Some(reserved) = function.get("reservedConcurrency").filter(|v| truthy(v) || v.as_f64() == Some(0.0)) {
        properties.insert("ReservedConcurrentExecutions".into(), reserved.clone());
    }
    if !function.get("disableLogs").is_some_and(truthy) {
        let mut first = vec![json!(format!("{}LogGroup", function.normalized))];
        first.extend(depends.unwrap_or_default());
        depends = Some(first);
    }
    if let Some(layers) = function.get("layers").filter(|v| truthy(v)).or_else(|| compiler.provider("layers")) {
        properties.insert("Layers".into(), layers.clone());
    }
    if snap_start(function) {
        properties.insert("SnapStart".into(), json!({"ApplyOn": "PublishedVersions"}));
    }
    resource.insert("Properties".into(), Value::Object(properties));
    if let Some(depends) = depends {
        resource.insert("DependsOn".into(), json!(depends));
    }
    Value::Object(resource)
}

/// `Array.prototype.concat`: a list is spread, anything else appended.
fn concat(mut list: Vec<Value>, extra: &Value) -> Vec<Value> {
    match extra {
        Value::Array(items) => list.extend(items.iter().cloned()),
        other => list.push(other.clone()),
    }
    list
}

/// `_.unionWith(statements, [statement], _.isEqual)`: added unless present.
fn union_statement(compiler: &mut Compiler<'_>, statement: Value) {
    if let Some(statements) = compiler.role_statements()
        && !statements.contains(&statement)
    {
        statements.push(statement);
    }
}

/// `provider.getCustomExecutionRole`: the function's `role`, else an
/// existing role named by `provider.iam.role`, else `provider.role`.
pub(super) fn custom_role<'c>(compiler: &Compiler<'c>, function: &Function<'c>) -> Option<&'c Value> {
    if let Some(role) = function.config.get("role").filter(|v| truthy(v)) {
        return Some(role);
    }
    let provider_role = compiler.provider("iam").and_then(|iam| iam.get("role"));
    if let Some(role) = provider_role.filter(|r| is_existing_role(r)) {
        return Some(role);
    }
    compiler.provider("role").filter(|v| truthy(v))
}

/// `<artifact directory>/<zip>`: the clock part is a placeholder.
fn s3_key(compiler: &Compiler<'_>, function: &Function<'_>) -> String {
    let prefix = match compiler.provider("deploymentPrefix") {
        Some(value) => crate::js::to_js_string(Some(value)),
        None => "serverless".to_owned(),
    };
    let package = compiler.config.get("package");
    let individually = |package: Option<&Value>| package.and_then(|p| p.get("individually")).is_some_and(truthy);
    let artifact = function
        .get("package")
        .and_then(|p| p.get("artifact"))
        .or_else(|| package.and_then(|p| p.get("artifact")))
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty());
    let file = match artifact {
        Some(path) => path.rsplit('/').next().unwrap_or(path).to_owned(),
        None if individually(package) || individually(function.get("package")) => format!("{}.zip", function.key),
        None => format!("{}.zip", compiler.service),
    };
    format!("{prefix}/{}/{}/{}/{file}", compiler.service, compiler.stage, placeholder::ARTIFACT_DIRECTORY_CLOCK)
}

/// `<Function>LambdaVersion<hash>`, its output, and the provisioned
/// concurrency or SnapStart alias.
fn version(compiler: &mut Compiler<'_>, function: &Function<'_>) {
    let id = format!("{}LambdaVersion{}", function.normalized, placeholder::VERSION_SUFFIX);
    let mut properties = Map::new();
    properties.insert("FunctionName".into(), json!({"Ref": function.logical_id}));
    properties.insert("CodeSha256".into(), json!(placeholder::CODE_SHA256));
    if let Some(description) = function.get("description").filter(|v| truthy(v)) {
        properties.insert("Description".into(), description.clone());
    }
    let mut resource = json!({"Type": "AWS::Lambda::Version", "DeletionPolicy": "Retain", "Properties": properties});
    compiler.outputs.insert(
        format!("{}LambdaFunctionQualifiedArn", function.normalized),
        json!({"Description": "Current Lambda function version", "Value": {"Ref": id}}),
    );
    let provisioned = function.get("provisionedConcurrency").filter(|v| truthy(v));
    if provisioned.is_some() && snap_start(function) {
        compiler.diagnostics.push(diagnostic::snap_start_with_provisioned_concurrency(function.path()));
    }
    if (provisioned.is_some() || snap_start(function))
        && !should_version(compiler, function)
        && let Some(map) = resource.as_object_mut()
    {
        map.remove("DeletionPolicy");
    }
    compiler.resources.insert(id.clone(), resource);
    if let Some((name, alias_id)) = function.target_alias() {
        let mut properties = Map::new();
        properties.insert("FunctionName".into(), json!({"Ref": function.logical_id}));
        properties.insert("FunctionVersion".into(), json!({"Fn::GetAtt": [id, "Version"]}));
        properties.insert("Name".into(), json!(name));
        if name == "provisioned"
            && let Some(count) = provisioned
        {
            properties.insert("ProvisionedConcurrencyConfig".into(), json!({"ProvisionedConcurrentExecutions": count}));
        }
        compiler.resources.insert(
            alias_id,
            json!({"Type": "AWS::Lambda::Alias", "Properties": properties, "DependsOn": function.logical_id}),
        );
    }
}

/// Applies `_.uniq` to a list value; anything else is kept.
fn unique(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let mut seen: Vec<Value> = Vec::new();
            for item in items {
                if !seen.contains(item) {
                    seen.push(item.clone());
                }
            }
            Value::Array(seen)
        }
        other => other.clone(),
    }
}

/// `url:`: an `AWS::Lambda::Url`, its output, and a public permission
/// unless IAM authorises callers.
fn url(compiler: &mut Compiler<'_>, function: &Function<'_>) {
    let Some(url) = function.get("url").filter(|v| truthy(v)) else { return };
    let auth = if url.get("authorizer").and_then(Value::as_str) == Some("aws_iam") { "AWS_IAM" } else { "NONE" };
    let mut properties = Map::new();
    properties.insert("AuthType".into(), json!(auth));
    properties.insert("TargetFunctionArn".into(), function.target());
    if let Some(cors) = url.get("cors").filter(|v| truthy(v)) {
        let default_headers = json!([
            "Content-Type",
            "X-Amz-Date",
            "Authorization",
            "X-Api-Key",
            "X-Amz-Security-Token",
            "X-Amzn-Trace-Id"
        ]);
        // A list given replaces the default; an explicit `null` removes it.
        let pick = |key: &str, default: Value| match cors.get(key) {
            Some(Value::Null) => None,
            Some(value) if truthy(value) => Some(unique(value)),
            _ => Some(default),
        };
        let mut out = Map::new();
        if cors.get("allowCredentials").is_some_and(truthy) {
            out.insert("AllowCredentials".into(), json!(true));
        }
        let fields = [
            ("AllowHeaders", pick("allowedHeaders", default_headers)),
            ("AllowMethods", pick("allowedMethods", json!(["*"]))),
            ("AllowOrigins", pick("allowedOrigins", json!(["*"]))),
            ("ExposeHeaders", cors.get("exposedResponseHeaders").filter(|v| truthy(v)).map(unique)),
            ("MaxAge", cors.get("maxAge").filter(|v| !v.is_null()).cloned()),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                out.insert(key.into(), value);
            }
        }
        properties.insert("Cors".into(), Value::Object(out));
    }
    if url.get("invokeMode").and_then(Value::as_str) == Some("RESPONSE_STREAM") {
        properties.insert("InvokeMode".into(), json!("RESPONSE_STREAM"));
    }
    let id = format!("{}LambdaFunctionUrl", function.normalized);
    let mut resource = json!({"Type": "AWS::Lambda::Url", "Properties": properties});
    let alias = function.target_alias().map(|(_, alias_id)| alias_id);
    if let Some(alias_id) = &alias {
        resource["DependsOn"] = json!(alias_id);
    }
    compiler.resources.insert(id.clone(), resource);
    compiler.outputs.insert(
        id.clone(),
        json!({"Description": "Lambda Function URL", "Value": {"Fn::GetAtt": [id, "FunctionUrl"]}}),
    );
    if auth == "NONE" {
        let mut permission = json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": function.target(),
            "Action": "lambda:InvokeFunctionUrl",
            "Principal": "*",
            "FunctionUrlAuthType": auth
        }});
        if let Some(alias_id) = alias {
            permission["DependsOn"] = json!(alias_id);
        }
        compiler.resources.insert(format!("{}LambdaPermissionFnUrl", function.normalized), permission);
    }
}

/// `destinations`, `maximumEventAge`, `maximumRetryAttempts`: an
/// `AWS::Lambda::EventInvokeConfig`, and role permissions to reach the
/// destinations.
fn invoke_config(compiler: &mut Compiler<'_>, function: &Function<'_>, all: &[Function<'_>]) {
    let destinations = function.get("destinations").filter(|v| truthy(v));
    let age = function.get("maximumEventAge").filter(|v| truthy(v));
    let retries = function.get("maximumRetryAttempts");
    if destinations.is_none() && age.is_none() && retries.is_none() {
        return;
    }
    let mut config = Map::new();
    if let Some(destinations) = destinations {
        let handled_externally = custom_role(compiler, function).is_some();
        for (key, field) in [("onSuccess", "OnSuccess"), ("onFailure", "OnFailure")] {
            let Some(target) = destinations.get(key).filter(|v| truthy(v)) else { continue };
            let path = format!("{}.destinations.{key}", function.path());
            let Some(arn) = destination_arn(compiler, target, all, &path) else { continue };
            config.insert(field.into(), json!({"Destination": arn}));
            if !handled_externally {
                grant_destination(compiler, target, all, &path);
            }
        }
    }
    let qualifier = function.target_alias().map_or("$LATEST", |(name, _)| name);
    let mut properties = Map::new();
    properties.insert("FunctionName".into(), json!({"Ref": function.logical_id}));
    properties.insert("DestinationConfig".into(), Value::Object(config));
    properties.insert("Qualifier".into(), json!(qualifier));
    if let Some(age) = age {
        properties.insert("MaximumEventAgeInSeconds".into(), age.clone());
    }
    if let Some(retries) = retries {
        properties.insert("MaximumRetryAttempts".into(), retries.clone());
    }
    let mut resource = json!({"Type": "AWS::Lambda::EventInvokeConfig", "Properties": properties});
    if let Some((_, alias_id)) = function.target_alias() {
        resource["DependsOn"] = json!(alias_id);
    }
    compiler.resources.insert(format!("{}LambdaEvConf", function.normalized), resource);
}

/// `getDestinationsArn`: an object's `arn`, an ARN, or a function of this
/// service by key.
fn destination_arn(compiler: &mut Compiler<'_>, target: &Value, all: &[Function<'_>], path: &str) -> Option<Value> {
    match target {
        Value::Object(map) => Some(map.get("arn").cloned().unwrap_or(Value::Null)),
        Value::String(text) if text.starts_with("arn:") => Some(target.clone()),
        Value::String(key) => match all.iter().find(|f| f.key == key) {
            Some(other) => Some(other.target()),
            None => {
                let keys: Vec<&str> = all.iter().map(|f| f.key).collect();
                compiler.diagnostics.push(diagnostic::unknown_destination_function(path.to_owned(), key, &keys));
                None
            }
        },
        _ => None,
    }
}

/// `ensureTargetExecutionPermission`: the role may invoke the destination.
fn grant_destination(compiler: &mut Compiler<'_>, target: &Value, all: &[Function<'_>], path: &str) {
    let action = match target {
        Value::Object(map) => match map.get("type").and_then(Value::as_str) {
            Some("function") => Some("lambda:InvokeFunction"),
            Some("sqs") => Some("sqs:SendMessage"),
            Some("sns") => Some("sns:Publish"),
            Some("eventBus") => Some("events:PutEvents"),
            _ => None,
        },
        Value::String(text) if !text.starts_with("arn:") || text.contains(":function:") => {
            Some("lambda:InvokeFunction")
        }
        Value::String(text) if text.contains(":sqs:") => Some("sqs:SendMessage"),
        Value::String(text) if text.contains(":sns:") => Some("sns:Publish"),
        Value::String(text) if text.contains(":event-bus/") => Some("events:PutEvents"),
        _ => None,
    };
    let Some(action) = action else {
        compiler.diagnostics.push(diagnostic::unsupported_destination(path.to_owned(), target));
        return;
    };
    let resource = match target {
        Value::Object(map) => map.get("arn").cloned().unwrap_or(Value::Null),
        Value::String(text) if text.starts_with("arn:") => target.clone(),
        Value::String(key) => {
            let name = all.iter().find(|f| f.key == key).map_or(key.as_str(), |f| f.name.as_str());
            json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}")})
        }
        _ => Value::Null,
    };
    let statement = json!({"Effect": "Allow", "Action": action, "Resource": resource});
    // The Framework memoises this per destination string: a destination
    // named twice is granted once.
    if let Some(statements) = compiler.role_statements()
        && !(target.is_string() && statements.contains(&statement))
    {
        statements.push(statement);
    }
}
