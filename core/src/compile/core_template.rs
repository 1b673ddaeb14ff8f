//! `package:initialize` and `package:setupProviderConfiguration`: the core
//! template, the log groups and the shared execution role
//! (`generate-core-template.js`, `merge-iam-templates.js`).

use serde_json::{Map, Value, json};

use super::Compiler;
use crate::naming;

const BUCKET: &str = "ServerlessDeploymentBucket";
const BUCKET_POLICY: &str = "ServerlessDeploymentBucketPolicy";

/// The deployment bucket, its TLS-only policy and its name output, or only
/// the output when `provider.deploymentBucket` names an existing bucket.
pub(super) fn generate(compiler: &mut Compiler<'_>) {
    let (bucket_name, settings) = match compiler.provider("deploymentBucket") {
        Some(Value::String(name)) => (Some(Value::String(name.clone())), None),
        Some(Value::Object(settings)) => (settings.get("name").filter(|n| !n.is_null()).cloned(), Some(settings)),
        _ => (None, None),
    };
    if let Some(name) = bucket_name {
        compiler.outputs.insert("ServerlessDeploymentBucketName".into(), json!({"Value": name}));
        return;
    }
    let mut bucket = json!({
        "Type": "AWS::S3::Bucket",
        "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        ]}}
    });
    let mut policy = true;
    if let Some(settings) = settings {
        let properties = &mut bucket["Properties"];
        if let Some(tags) = settings.get("tags").and_then(Value::as_object).filter(|t| !t.is_empty()) {
            properties["Tags"] = tag_list(tags);
        }
        if settings.get("blockPublicAccess").is_some_and(crate::js::truthy) {
            properties["PublicAccessBlockConfiguration"] = json!({
                "BlockPublicAcls": true, "BlockPublicPolicy": true,
                "IgnorePublicAcls": true, "RestrictPublicBuckets": true
            });
        }
        if settings.get("versioning").is_some_and(crate::js::truthy) {
            properties["VersioningConfiguration"] = json!({"Status": "Enabled"});
        }
        policy = !settings.get("skipPolicySetup").is_some_and(crate::js::truthy);
    }
    compiler.resources.insert(BUCKET.into(), bucket);
    if policy {
        let arn = |suffix: &[Value]| {
            let mut parts =
                vec![json!("arn:"), json!({"Ref": "AWS::Partition"}), json!(":s3:::"), json!({"Ref": BUCKET})];
            parts.extend_from_slice(suffix);
            json!({"Fn::Join": ["", parts]})
        };
        compiler.resources.insert(
            BUCKET_POLICY.into(),
            json!({
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": BUCKET},
                    "PolicyDocument": {"Statement": [{
                        "Action": "s3:*",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Resource": [arn(&[json!("/*")]), arn(&[])],
                        "Condition": {"Bool": {"aws:SecureTransport": false}}
                    }]}
                }
            }),
        );
    }
    compiler.outputs.insert("ServerlessDeploymentBucketName".into(), json!({"Value": {"Ref": BUCKET}}));
}

/// `{k: v}` as CloudFormation's `[{Key, Value}]`, in key order.
pub(super) fn tag_list(tags: &Map<String, Value>) -> Value {
    tags.iter().map(|(key, value)| json!({"Key": key, "Value": value})).collect()
}

/// `provider.iam.role` names an existing role: a string, or an object whose
/// keys are intrinsic functions (`Fn::GetAtt`, …).
pub(super) fn is_existing_role(role: &Value) -> bool {
    match role {
        Value::String(_) => true,
        Value::Object(map) => map.keys().any(|k| k.contains("::")),
        _ => false,
    }
}

/// A log-group ARN pattern as the Framework writes it into the role.
fn log_group_arn(pattern: &str) -> Value {
    json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{pattern}")})
}

/// The log groups, then `IamRoleLambdaExecution` unless every function (or
/// the provider) brings its own role.
pub(super) fn merge_iam(compiler: &mut Compiler<'_>) {
    if compiler.functions.is_empty() {
        return;
    }
    let retention = compiler.provider("logRetentionInDays").filter(|v| crate::js::truthy(v)).cloned();
    let protection = compiler.provider("logDataProtectionPolicy").filter(|v| crate::js::truthy(v)).cloned();
    let mut groups = Vec::new();
    for function in &compiler.functions {
        if function.get("disableLogs").is_some_and(crate::js::truthy) {
            continue;
        }
        let mut properties = Map::new();
        properties.insert("LogGroupName".into(), json!(format!("/aws/lambda/{}", function.name)));
        let own = |key| function.get(key).filter(|v| crate::js::truthy(v)).cloned();
        if let Some(days) = own("logRetentionInDays").or_else(|| retention.clone()) {
            properties.insert("RetentionInDays".into(), days);
        }
        if let Some(policy) = own("logDataProtectionPolicy").or_else(|| protection.clone()) {
            properties.insert("DataProtectionPolicy".into(), policy);
        }
        groups.push((
            format!("{}LogGroup", function.normalized),
            json!({"Type": "AWS::Logs::LogGroup", "Properties": properties}),
        ));
    }
    compiler.resources.extend(groups);

    let iam = compiler.provider("iam");
    let role = iam.and_then(|iam| iam.get("role")).filter(|r| !r.is_null());
    if role.is_some_and(is_existing_role) || compiler.provider.contains_key("role") {
        return;
    }
    if compiler.functions.iter().all(|f| f.config.contains_key("role")) {
        return;
    }
    let role = role.and_then(Value::as_object);
    let setting = |key: &str| role.and_then(|r| r.get(key)).filter(|v| crate::js::truthy(v));
    let mut properties = Map::new();
    properties.insert(
        "AssumeRolePolicyDocument".into(),
        json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com"]},
            "Action": ["sts:AssumeRole"]
        }]}),
    );
    let (service, stage) = (compiler.service.as_str(), compiler.stage.as_str());
    properties.insert(
        "Policies".into(),
        json!([{
            "PolicyName": {"Fn::Join": ["-", [service, stage, "lambda"]]},
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"], "Resource": []},
                {"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": []}
            ]}
        }]),
    );
    properties.insert("Path".into(), setting("path").cloned().unwrap_or_else(|| json!("/")));
    properties.insert(
        "RoleName".into(),
        setting("name")
            .cloned()
            .unwrap_or_else(|| json!({"Fn::Join": ["-", [service, stage, {"Ref": "AWS::Region"}, "lambdaRole"]]})),
    );
    if let Some(tags) = role.and_then(|r| r.get("tags")).and_then(Value::as_object) {
        properties.insert("Tags".into(), tag_list(tags));
    }
    if let Some(boundary) = setting("permissionsBoundary")
        .or_else(|| setting("permissionBoundary"))
        .or_else(|| compiler.provider("rolePermissionsBoundary").filter(|v| crate::js::truthy(v)))
    {
        properties.insert("PermissionsBoundary".into(), boundary.clone());
    }
    // Keys in the order the Framework's role template and assignments give.
    let order = ["AssumeRolePolicyDocument", "Policies", "Path", "RoleName", "Tags", "PermissionsBoundary"];
    let properties: Map<String, Value> =
        order.iter().filter_map(|key| properties.remove(*key).map(|v| ((*key).to_owned(), v))).collect();
    compiler
        .resources
        .insert(naming::EXECUTION_ROLE_LOGICAL_ID.into(), json!({"Type": "AWS::IAM::Role", "Properties": properties}));

    let prefix = format!("/aws/lambda/{service}-{stage}");
    let mut create = Vec::new();
    let mut put = Vec::new();
    let mut canonical = false;
    let mut silenced = Vec::new();
    for function in &compiler.functions {
        let disabled = function.get("disableLogs").is_some_and(crate::js::truthy);
        let named = function.config.get("name").and_then(Value::as_str);
        if named.is_none_or(|name| name.starts_with(&format!("{service}-{stage}"))) {
            if disabled {
                silenced.push(function.name.clone());
            } else {
                canonical = true;
            }
            continue;
        }
        if !disabled {
            create.push(log_group_arn(&format!("/aws/lambda/{}:*", function.name)));
            put.push(log_group_arn(&format!("/aws/lambda/{}:*:*", function.name)));
        }
    }
    let mut extra = Vec::new();
    if canonical {
        create.push(log_group_arn(&format!("{prefix}*:*")));
        put.push(log_group_arn(&format!("{prefix}*:*:*")));
        if !silenced.is_empty() {
            let denied: Vec<Value> =
                silenced.iter().map(|name| log_group_arn(&format!("/aws/lambda/{name}:*"))).collect();
            extra.push(json!({"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": denied}));
        }
    }
    let statements_from = |key: &str| -> Option<Vec<Value>> { Some(setting(key)?.as_array()?.clone()) };
    if let Some(custom) = statements_from("statements")
        .or_else(|| compiler.provider("iamRoleStatements").and_then(Value::as_array).cloned())
    {
        extra.extend(custom);
    }
    let managed = statements_from("managedPolicies")
        .or_else(|| compiler.provider("iamManagedPolicies").and_then(Value::as_array).cloned())
        .unwrap_or_default();
    let vpc = compiler.functions.iter().any(|f| f.config.contains_key("vpc"))
        || compiler.provider("vpc").is_some_and(crate::js::truthy);
    if let Some(statements) = compiler.role_statements() {
        if let Some(resource) = statements[0]["Resource"].as_array_mut() {
            resource.extend(create);
        }
        if let Some(resource) = statements[1]["Resource"].as_array_mut() {
            resource.extend(put);
        }
        statements.extend(extra);
    }
    let mut managed = managed;
    if vpc {
        managed.push(json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]]}));
    }
    add_managed_policies(compiler, managed);
}

/// `mergeManagedPolicies`: appended to the role's `ManagedPolicyArns`.
pub(super) fn add_managed_policies(compiler: &mut Compiler<'_>, policies: Vec<Value>) {
    if policies.is_empty() {
        return;
    }
    let Some(properties) = compiler
        .resources
        .get_mut(naming::EXECUTION_ROLE_LOGICAL_ID)
        .and_then(|role| role.get_mut("Properties"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let arns = properties.entry("ManagedPolicyArns").or_insert_with(|| json!([]));
    if !arns.is_array() {
        *arns = json!([]);
    }
    if let Some(arns) = arns.as_array_mut() {
        arns.extend(policies);
    }
}
