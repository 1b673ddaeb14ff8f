//! The resources the canary pass creates, shaped key for key like the
//! original plugin's generators.

use serde_json::{Map, Value, json};

use super::Canary;
use crate::js::truthy;
use crate::plan::{object, resource};

/// `AWS::CodeDeploy::Application`, one per stack.
pub(super) fn application() -> Value {
    json!({"Type": "AWS::CodeDeploy::Application", "Properties": {"ComputePlatform": "Lambda"}})
}

/// `CodeDeployServiceRole`, the role CodeDeploy assumes to shift traffic.
pub(super) fn code_deploy_role(permissions_boundary: Option<&Value>, with_triggers: bool) -> Value {
    let mut policies = vec![
        json!("arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"),
        json!("arn:aws:iam::aws:policy/AWSLambda_FullAccess"),
    ];
    if with_triggers {
        policies.push(json!("arn:aws:iam::aws:policy/AmazonSNSFullAccess"));
    }
    let mut role = json!({"Type": "AWS::IAM::Role", "Properties": {
        "ManagedPolicyArns": policies,
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Action": ["sts:AssumeRole"],
            "Effect": "Allow",
            "Principal": {"Service": ["codedeploy.amazonaws.com"]}
        }]}
    }});
    if let (Some(boundary), Some(properties)) =
        (permissions_boundary.filter(|b| truthy(b)), role["Properties"].as_object_mut())
    {
        properties.insert("PermissionsBoundary".into(), boundary.clone());
    }
    role
}

/// `<Fn>DeploymentGroup`.
pub(super) fn deployment_group(app: &str, group_name: &str, settings: &Map<String, Value>) -> Value {
    let mut config_name = Map::new();
    if let Some(kind) = settings.get("type") {
        config_name.insert("ConfigName".into(), kind.clone());
    }
    let role_arn = settings
        .get("codeDeployRole")
        .filter(|r| truthy(r))
        .cloned()
        .unwrap_or_else(|| json!({"Fn::GetAtt": ["CodeDeployServiceRole", "Arn"]}));
    let mut properties = Map::new();
    properties.insert("ApplicationName".into(), json!({"Ref": app}));
    properties.insert(
        "AutoRollbackConfiguration".into(),
        json!({
            "Enabled": true,
            "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"]
        }),
    );
    properties.insert("DeploymentGroupName".into(), Value::String(group_name.to_owned()));
    properties.insert(
        "DeploymentConfigName".into(),
        object([(
            "Fn::Sub",
            Value::Array(vec![Value::from("CodeDeployDefault.Lambda${ConfigName}"), Value::Object(config_name)]),
        )]),
    );
    properties.insert(
        "DeploymentStyle".into(),
        json!({"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"}),
    );
    properties.insert("ServiceRoleArn".into(), role_arn);
    if let Some(Value::Array(alarms)) = settings.get("alarms") {
        let alarms: Vec<Value> = alarms.iter().map(alarm_reference).collect();
        properties.insert(
            "AlarmConfiguration".into(),
            object([("Alarms", Value::Array(alarms)), ("Enabled", Value::Bool(true))]),
        );
    }
    if let Some(triggers) = settings.get("triggerConfigurations").filter(|t| truthy(t)) {
        properties.insert("TriggerConfigurations".into(), triggers.clone());
    }
    resource("AWS::CodeDeploy::DeploymentGroup", properties)
}

/// An `alarms` item: `{name: X}` is a literal alarm name, anything else a
/// logical ID in the template (`_.propOr({Ref: a}, 'name', a)`).
fn alarm_reference(alarm: &Value) -> Value {
    match alarm.as_object().and_then(|a| a.get("name")) {
        Some(name) => object([("Name", name.clone())]),
        None => object([("Name", object([("Ref", alarm.clone())]))]),
    }
}

/// `<Fn>Alias<alias>` with its CodeDeploy `UpdatePolicy`.
pub(super) fn alias(canary: &Canary<'_>, version: &str, app: &str, group: &str) -> Value {
    let mut properties = Map::new();
    properties.insert("FunctionVersion".into(), json!({"Fn::GetAtt": [version, "Version"]}));
    properties.insert("FunctionName".into(), json!({"Ref": canary.logical_id}));
    if let Some(name) = canary.setting("alias") {
        properties.insert("Name".into(), name.clone());
    }
    let mut update = Map::new();
    update.insert("ApplicationName".into(), json!({"Ref": app}));
    for (key, setting) in [("AfterAllowTrafficHook", "postTrafficHook"), ("BeforeAllowTrafficHook", "preTrafficHook")] {
        if let Some(hook) = canary.setting(setting).and_then(Value::as_str).filter(|h| !h.is_empty()) {
            update.insert(key.into(), json!({"Ref": crate::naming::lambda_logical_id(hook)}));
        }
    }
    update.insert("DeploymentGroupName".into(), json!({"Ref": group}));
    let mut policy = Map::with_capacity(1);
    policy.insert("CodeDeployLambdaAliasUpdate".into(), Value::Object(update));
    let mut alias = resource("AWS::Lambda::Alias", properties);
    if let Some(alias) = alias.as_object_mut() {
        alias.insert("UpdatePolicy".into(), Value::Object(policy));
    }
    alias
}

/// The execution role with `codedeploy:PutLifecycleEventHookExecutionStatus`
/// granted on every deployment group whose function has a hook. The group is
/// named literally (not by `Ref`), which keeps the role free of a dependency
/// cycle through the alarms. `None` when the role stays as it is.
pub(super) fn execution_role_with_hook_grant(role: &Value, app: &str, groups: &[String]) -> Option<Value> {
    if groups.is_empty() {
        return None;
    }
    const STATEMENT: &str = "/Properties/Policies/0/PolicyDocument/Statement";
    role.pointer(STATEMENT).filter(|s| s.is_array())?;
    let resources: Vec<Value> = groups
        .iter()
        .map(|group| {
            json!({"Fn::Sub": format!(
                "arn:${{AWS::Partition}}:codedeploy:${{AWS::Region}}:${{AWS::AccountId}}:deploymentgroup:${{{app}}}/{group}"
            )})
        })
        .collect();
    let mut role = role.clone();
    if let Some(Value::Array(statement)) = role.pointer_mut(STATEMENT) {
        statement.push(json!({
            "Action": ["codedeploy:PutLifecycleEventHookExecutionStatus"],
            "Effect": "Allow",
            "Resource": resources
        }));
    }
    Some(role)
}
