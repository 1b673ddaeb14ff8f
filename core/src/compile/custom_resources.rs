//! `addCustomResourceToService` (`lib/plugins/aws/custom-resources`): the
//! Lambda function, shared role and optional log group behind the
//! Framework's custom resources (`Custom::S3` for existing buckets, …).
//!
//! The function's code is the Framework's own `custom-resources.zip`, which
//! `sls package` writes next to the service's artifact. The template only
//! names it: `<artifact directory>/custom-resources.zip`, with the clock part
//! of the directory the same placeholder as the functions' `S3Key`s
//! ([`placeholder::ARTIFACT_DIRECTORY_CLOCK`]). So the resources are exact;
//! deploying canaria's template alone still needs that zip uploaded, as it
//! needs the service's own.

use serde_json::{Value, json};

use super::{Compiler, placeholder};
use crate::js::truthy;
use crate::naming;

/// Logical ID of the role every custom-resource function shares.
pub(crate) const ROLE_LOGICAL_ID: &str = "IamRoleCustomResourcesLambdaExecution";

/// One of the Framework's custom-resource handlers.
pub(crate) struct Handler {
    /// The function's name inside the service, e.g. `custom-resource-existing-s3`.
    pub(crate) name: &'static str,
    /// Its handler inside the zip, e.g. `s3/handler.handler`.
    pub(crate) handler: &'static str,
}

/// The handler of `Custom::S3` (`existing: true` buckets).
pub(crate) const EXISTING_S3: Handler = Handler { name: "custom-resource-existing-s3", handler: "s3/handler.handler" };

impl Handler {
    /// `<N(N(name))>LambdaFunction`, e.g. `CustomDashresourceDashexistingDashs3LambdaFunction`.
    pub(crate) fn logical_id(&self) -> String {
        naming::lambda_logical_id(&naming::normalized_resource_name(self.name))
    }
}

/// The deployed name, `<service>-<stage>-<name>`. The Framework replaces a
/// name over 64 characters by a prefix and an MD5 digest, which canaria
/// does not compute: `None` then.
pub(crate) fn function_name(compiler: &Compiler<'_>, handler: &Handler) -> Option<String> {
    let name = format!("{}-{}-{}", compiler.service, compiler.stage, handler.name);
    (name.encode_utf16().count() <= 64).then_some(name)
}

/// Adds the handler's function (and the shared role, and the log group with
/// `provider.logs.frameworkLambda`), granting the role `statements`.
/// The caller has checked [`function_name`].
pub(crate) fn add(compiler: &mut Compiler<'_>, handler: &Handler, statements: Vec<Value>) {
    let Some(absolute_name) = function_name(compiler, handler) else { return };
    let prefix = format!("{}-{}", compiler.service, compiler.stage);
    let write_logs = compiler.provider("logs").and_then(|logs| logs.get("frameworkLambda")).is_some_and(truthy);
    let deployment_role = match compiler.provider("iam").and_then(|iam| iam.get("deploymentRole")) {
        Some(role) => Some(role.clone()),
        None => compiler.provider("cfnRole").cloned(),
    }
    .filter(truthy);
    if deployment_role.is_none() {
        if !compiler.resources.contains_key(ROLE_LOGICAL_ID) {
            let mut role = json!({"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"Service": ["lambda.amazonaws.com"]},
                        "Action": ["sts:AssumeRole"]
                    }]
                },
                "Policies": [{
                    "PolicyName": {"Fn::Join": ["-", [compiler.stage, compiler.service, "custom-resources-lambda"]]},
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": []}
                }]
            }});
            if write_logs && let Some(list) = role_statements(&mut role) {
                let group = format!(
                    "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{prefix}*:*"
                );
                list.push(json!({
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
                    "Resource": [{"Fn::Sub": group}]
                }));
                list.push(json!({"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": [{"Fn::Sub": format!("{group}:*")}]}));
            }
            compiler.resources.insert(ROLE_LOGICAL_ID.to_owned(), role);
        }
        if let Some(list) = compiler.resources.get_mut(ROLE_LOGICAL_ID).and_then(role_statements) {
            for statement in statements {
                // `existing.Resource === new.Resource`: objects are never the same object.
                let same = |existing: &Value| matches!((existing.get("Resource"), statement.get("Resource")), (Some(Value::String(a)), Some(Value::String(b))) if a == b);
                if !list.iter().any(same) {
                    list.push(statement);
                }
            }
        }
    }
    let bucket = match compiler.provider("deploymentBucket") {
        Some(Value::String(name)) => json!(name),
        Some(Value::Object(settings)) if settings.get("name").is_some_and(truthy) => settings["name"].clone(),
        _ => json!({"Ref": "ServerlessDeploymentBucket"}),
    };
    let mut function = json!({
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Code": {"S3Bucket": bucket, "S3Key": format!("{}/custom-resources.zip", artifact_directory(compiler))},
            "FunctionName": absolute_name,
            "Handler": handler.handler,
            "MemorySize": 1024,
            "Runtime": "nodejs18.x",
            "Timeout": 180
        },
        "DependsOn": []
    });
    let mut depends = Vec::new();
    match deployment_role {
        Some(role) => function["Properties"]["Role"] = role,
        None => {
            function["Properties"]["Role"] = json!({"Fn::GetAtt": [ROLE_LOGICAL_ID, "Arn"]});
            depends.push(json!(ROLE_LOGICAL_ID));
        }
    }
    let log_group_id = format!("{}LogGroup", naming::normalized_resource_name(handler.name));
    if write_logs {
        depends.push(json!(log_group_id));
    }
    function["DependsOn"] = Value::Array(depends);
    compiler.resources.insert(handler.logical_id(), function);
    if write_logs {
        let mut properties = serde_json::Map::new();
        properties.insert("LogGroupName".into(), json!(format!("/aws/lambda/{absolute_name}")));
        for (key, property) in
            [("logRetentionInDays", "RetentionInDays"), ("logDataProtectionPolicy", "DataProtectionPolicy")]
        {
            if let Some(value) = compiler.provider.get(key) {
                properties.insert(property.into(), value.clone());
            }
        }
        compiler.resources.insert(log_group_id, json!({"Type": "AWS::Logs::LogGroup", "Properties": properties}));
    }
}

fn role_statements(role: &mut Value) -> Option<&mut Vec<Value>> {
    role.pointer_mut("/Properties/Policies/0/PolicyDocument/Statement")?.as_array_mut()
}

/// `package.artifactDirectoryName`: `<prefix>/<service>/<stage>/<clock>`.
fn artifact_directory(compiler: &Compiler<'_>) -> String {
    let prefix = match compiler.provider("deploymentPrefix") {
        Some(value) => crate::js::to_js_string(Some(value)),
        None => "serverless".to_owned(),
    };
    format!("{prefix}/{}/{}/{}", compiler.service, compiler.stage, placeholder::ARTIFACT_DIRECTORY_CLOCK)
}
