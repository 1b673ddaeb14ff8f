//! The resources the canary pass creates, shaped key for key like the
//! original plugin's generators.

use serde_json::{Map, Value, json};

use super::rewire::Partition;
use super::{Canary, TrafficShift};
use crate::js::truthy;
use crate::plan::{object, resource};

/// `AWS::CodeDeploy::Application`, one per stack.
pub(super) fn application() -> Value {
    json!({"Type": "AWS::CodeDeploy::Application", "Properties": {"ComputePlatform": "Lambda"}})
}

/// What shapes `CodeDeployServiceRole`.
pub(super) struct RoleOptions<'a> {
    /// `codeDeployRolePermissionsBoundary`.
    pub permissions_boundary: Option<&'a Value>,
    /// Whether any function has `triggerConfigurations` (SNS access).
    pub with_triggers: bool,
    /// How the managed-policy ARNs name their partition.
    pub partition: Partition,
    /// `codeDeployRoleLeastPrivilege`: the hook functions' logical IDs, which
    /// the role may invoke instead of holding `AWSLambda_FullAccess`.
    pub invoked_hooks: Option<&'a [String]>,
}

/// An AWS managed policy's ARN, in the partition's form.
fn managed_policy(name: &str, partition: Partition) -> Value {
    match partition {
        Partition::Aws => json!(format!("arn:aws:iam::aws:policy/{name}")),
        Partition::Pseudo => json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}")}),
    }
}

/// `CodeDeployServiceRole`, the role CodeDeploy assumes to shift traffic.
pub(super) fn code_deploy_role(options: &RoleOptions<'_>) -> Value {
    let mut policies = vec![managed_policy("service-role/AWSCodeDeployRoleForLambdaLimited", options.partition)];
    if options.invoked_hooks.is_none() {
        policies.push(managed_policy("AWSLambda_FullAccess", options.partition));
    }
    if options.with_triggers {
        policies.push(managed_policy("AmazonSNSFullAccess", options.partition));
    }
    let mut role = json!({"Type": "AWS::IAM::Role", "Properties": {
        "ManagedPolicyArns": policies,
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Action": ["sts:AssumeRole"],
            "Effect": "Allow",
            "Principal": {"Service": ["codedeploy.amazonaws.com"]}
        }]}
    }});
    let Some(properties) = role["Properties"].as_object_mut() else { return role };
    if let Some(hooks) = options.invoked_hooks.filter(|h| !h.is_empty()) {
        let arns: Vec<Value> = hooks.iter().map(|hook| json!({"Fn::GetAtt": [hook, "Arn"]})).collect();
        properties.insert(
            "Policies".into(),
            json!([{
                "PolicyName": "InvokeTrafficHooks",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Action": ["lambda:InvokeFunction"],
                    "Resource": arns
                }]}
            }]),
        );
    }
    if let Some(boundary) = options.permissions_boundary.filter(|b| truthy(b)) {
        properties.insert("PermissionsBoundary".into(), boundary.clone());
    }
    role
}

/// `AWS::CodeDeploy::DeploymentConfig` for a traffic shift CodeDeploy does
/// not predefine. No name: CloudFormation makes one up, so two stacks with
/// the same shift never collide.
pub(super) fn deployment_config(shift: TrafficShift) -> Value {
    json!({"Type": "AWS::CodeDeploy::DeploymentConfig", "Properties": {
        "ComputePlatform": "Lambda",
        "TrafficRoutingConfig": shift.traffic_routing_config()
    }})
}

/// `<Fn>DeploymentGroup`, with its `DeploymentConfigName` already made.
pub(super) fn deployment_group(
    app: &str,
    group_name: &str,
    settings: &Map<String, Value>,
    config_name: Value,
) -> Value {
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
    properties.insert("DeploymentConfigName".into(), config_name);
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

/// `DeploymentConfigName`: a `Ref` to a custom configuration, else the
/// original's `Fn::Sub` over the predefined name (`type` as written when it
/// is one of the nine names; absent `type` leaves `ConfigName` out).
pub(super) fn deployment_config_name(kind: Option<&Value>, custom: Option<&str>) -> Value {
    if let Some(id) = custom {
        return json!({"Ref": id});
    }
    let mut config_name = Map::new();
    if let Some(kind) = kind {
        let exact = kind.as_str().is_some_and(|k| super::PREDEFINED.contains(&k));
        let shift = match kind {
            Value::String(name) if !exact => TrafficShift::parse(name),
            Value::Object(object) => TrafficShift::from_object(object).ok(),
            _ => None,
        };
        config_name.insert("ConfigName".into(), shift.map_or_else(|| kind.clone(), |s| Value::String(s.name())));
    }
    object([(
        "Fn::Sub",
        Value::Array(vec![Value::from("CodeDeployDefault.Lambda${ConfigName}"), Value::Object(config_name)]),
    )])
}

/// An `alarms` item: `{name: X}` is a literal alarm name, anything else a
/// logical ID in the template (`_.propOr({Ref: a}, 'name', a)`).
fn alarm_reference(alarm: &Value) -> Value {
    match alarm.as_object().and_then(|a| a.get("name")) {
        Some(name) => object([("Name", name.clone())]),
        None => object([("Name", object([("Ref", alarm.clone())]))]),
    }
}

/// `<Fn>Alias<alias>` with its CodeDeploy `UpdatePolicy`, and the
/// function's provisioned concurrency when it has some.
pub(super) fn alias(
    canary: &Canary<'_>,
    version: &str,
    app: &str,
    group: &str,
    provisioned_concurrency: Option<&Value>,
) -> Value {
    let mut properties = Map::new();
    properties.insert("FunctionVersion".into(), json!({"Fn::GetAtt": [version, "Version"]}));
    properties.insert("FunctionName".into(), json!({"Ref": canary.logical_id}));
    if let Some(name) = canary.setting("alias") {
        properties.insert("Name".into(), name.clone());
    }
    if let Some(config) = provisioned_concurrency {
        properties.insert("ProvisionedConcurrencyConfig".into(), config.clone());
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
