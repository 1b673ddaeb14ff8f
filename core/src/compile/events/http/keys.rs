//! `provider.apiGateway.apiKeys` and `usagePlan`: API keys, usage plans and
//! the keys' membership of the plans (`lib/api-keys.js`, `lib/usage-plan.js`,
//! `lib/usage-plan-keys.js`).

use serde_json::{Map, Value, json};

use super::{Api, merge_resource};
use crate::compile::Compiler;
use crate::diagnostic::{self, Diagnostic};
use crate::js::truthy;
use crate::naming;

/// `Object.keys(value)[0]` (a string's first index, `"0"`).
fn first_key(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => map.keys().next().cloned(),
        Value::String(text) if !text.is_empty() => Some("0".into()),
        Value::Array(items) if !items.is_empty() => Some("0".into()),
        _ => None,
    }
}

/// `Object.entries(value)[0][1]`.
fn first_value(value: &Value) -> Option<Value> {
    match value {
        Value::Object(map) => map.values().next().cloned(),
        Value::String(text) => text.chars().next().map(|c| json!(c.to_string())),
        Value::Array(items) => items.first().cloned(),
        _ => None,
    }
}

fn api_key_id(number: usize, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("ApiGatewayApiKey{}{number}", naming::upper_first(name)),
        None => format!("ApiGatewayApiKey{number}"),
    }
}

fn usage_plan_id(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("ApiGatewayUsagePlan{}", naming::upper_first(name)),
        None => "ApiGatewayUsagePlan".into(),
    }
}

fn usage_plan_key_id(number: usize, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("ApiGatewayUsagePlanKey{}{number}", naming::upper_first(name)),
        None => format!("ApiGatewayUsagePlanKey{number}"),
    }
}

/// API keys, usage plans, then usage plan keys, as the Framework compiles them.
pub(super) fn compile(compiler: &mut Compiler<'_>, api: &Api) -> Result<(), Diagnostic> {
    let api_gateway = compiler.provider("apiGateway");
    let api_keys = api_gateway.and_then(|a| a.get("apiKeys")).filter(|v| truthy(v)).cloned();
    let usage_plan = api_gateway.and_then(|a| a.get("usagePlan")).filter(|v| truthy(v)).cloned();
    let plan_names: Vec<String> = match &usage_plan {
        Some(Value::Array(plans)) => {
            plans.iter().filter_map(|p| p.as_object()).flat_map(|p| p.keys().cloned()).collect()
        }
        _ => Vec::new(),
    };
    let keys: Vec<Value> = match &api_keys {
        Some(Value::Array(keys)) => keys.clone(),
        _ => Vec::new(),
    };
    let mut number = 0;
    for definition in &keys {
        let name = first_key(definition).unwrap_or_else(|| "undefined".into());
        let grouped =
            definition.is_object() && usage_plan.as_ref().is_some_and(Value::is_array) && plan_names.contains(&name);
        if grouped {
            number = 0;
            let members = definition.get(&name).and_then(Value::as_array).cloned().unwrap_or_default();
            for key in &members {
                number += 1;
                let resource = api_key(compiler, api, key);
                merge_resource(compiler, &api_key_id(number, Some(&name)), resource);
            }
        } else {
            number += 1;
            let resource = api_key(compiler, api, definition);
            merge_resource(compiler, &api_key_id(number, None), resource);
        }
    }
    let mut created_plans = Vec::new();
    if usage_plan.is_some() || api_keys.is_some() {
        match &usage_plan {
            Some(Value::Array(plans)) => {
                for plan in plans {
                    let name = first_key(plan).unwrap_or_else(|| "undefined".into());
                    let resource = usage_plan_resource(compiler, api, &name, usage_plan.as_ref());
                    merge_resource(compiler, &usage_plan_id(Some(&name)), resource);
                    created_plans.push(name);
                }
            }
            _ => {
                let resource = usage_plan_resource(compiler, api, "default", usage_plan.as_ref());
                merge_resource(compiler, &usage_plan_id(None), resource);
                created_plans.push("default".into());
            }
        }
    }
    let mut number = 0;
    for (index, definition) in keys.iter().enumerate() {
        let name = first_key(definition).unwrap_or_else(|| "undefined".into());
        let value = first_value(definition);
        let in_plans = created_plans.contains(&name);
        if !created_plans.is_empty() && !in_plans && value.as_ref().is_some_and(|v| v.is_object() || v.is_array()) {
            return Err(diagnostic::api_gateway_refused(
                format!("provider.apiGateway.apiKeys[{index}]"),
                "API_GATEWAY_KEY_WITHOUT_USAGE_PLAN",
                format!("the API key `{name}` has no usage plan; name one under `provider.apiGateway.usagePlan`"),
            ));
        }
        if definition.is_object() && in_plans {
            number = 0;
            let members = definition.get(&name).and_then(Value::as_array).map_or(0, Vec::len);
            for _ in 0..members {
                number += 1;
                let resource = usage_plan_key(&api_key_id(number, Some(&name)), &usage_plan_id(Some(&name)));
                merge_resource(compiler, &usage_plan_key_id(number, Some(&name)), resource);
            }
        } else {
            number += 1;
            let resource = usage_plan_key(&api_key_id(number, None), &usage_plan_id(None));
            merge_resource(compiler, &usage_plan_key_id(number, None), resource);
        }
    }
    Ok(())
}

/// `createApiKeyResource`.
fn api_key(compiler: &Compiler<'_>, api: &Api, key: &Value) -> Value {
    let mut properties = Map::new();
    let field = |name: &str| key.as_object().and_then(|k| k.get(name)).filter(|v| !v.is_null()).cloned();
    let enabled = field("enabled").unwrap_or(json!(true));
    properties.insert("Enabled".into(), enabled);
    let name = match key {
        Value::String(_) => Some(key.clone()),
        _ => field("name"),
    };
    if let Some(name) = name {
        properties.insert("Name".into(), name);
    }
    if let Some(value) = field("value").filter(truthy) {
        properties.insert("Value".into(), value);
    }
    for (from, to) in [("description", "Description"), ("customerId", "CustomerId")] {
        if let Some(value) = field(from) {
            properties.insert(to.into(), value);
        }
    }
    properties.insert("StageKeys".into(), json!([{"RestApiId": api.rest_api_id, "StageName": compiler.stage}]));
    json!({"Type": "AWS::ApiGateway::ApiKey", "Properties": properties, "DependsOn": api.deployment_id})
}

/// `createUsagePlanResource`.
fn usage_plan_resource(compiler: &Compiler<'_>, api: &Api, name: &str, usage_plan: Option<&Value>) -> Value {
    let (service, stage) = (&compiler.service, &compiler.stage);
    let mut properties = Map::new();
    properties.insert("ApiStages".into(), json!([{"ApiId": api.rest_api_id, "Stage": stage}]));
    let (description, plan_name, settings) = if name == "default" {
        let settings = usage_plan.filter(|p| p.is_object()).cloned();
        (format!("Usage plan for {service} {stage} stage"), format!("{service}-{stage}"), settings)
    } else {
        let pick = |key: &str| {
            let mut found = None;
            for plan in usage_plan.and_then(Value::as_array).into_iter().flatten() {
                if let Some(value) = plan.get(name).and_then(|p| p.get(key)).filter(|v| truthy(v)) {
                    found = Some(value.clone());
                }
            }
            found
        };
        let mut settings = Map::new();
        for key in ["quota", "throttle"] {
            if let Some(value) = pick(key) {
                settings.insert(key.into(), value);
            }
        }
        (
            format!("Usage plan \"{name}\" for {service} {stage} stage"),
            format!("{service}-{name}-{stage}"),
            Some(Value::Object(settings)),
        )
    };
    properties.insert("Description".into(), json!(description));
    properties.insert("UsagePlanName".into(), json!(plan_name));
    let setting = |key: &str| settings.as_ref().and_then(|s| s.get(key)).filter(|v| truthy(v));
    if let Some(quota) = setting("quota") {
        let mut out = Map::new();
        for (from, to) in [("limit", "Limit"), ("offset", "Offset"), ("period", "Period")] {
            if let Some(value) = quota.get(from) {
                out.insert(to.into(), value.clone());
            }
        }
        if name != "default" && quota.as_object().is_some_and(Map::is_empty) {
            // `Object.keys({}).length` is 0: no quota.
        } else {
            properties.insert("Quota".into(), Value::Object(out));
        }
    }
    if let Some(throttle) = setting("throttle") {
        let mut out = Map::new();
        for (from, to) in [("burstLimit", "BurstLimit"), ("rateLimit", "RateLimit")] {
            if let Some(value) = throttle.get(from) {
                out.insert(to.into(), value.clone());
            }
        }
        if !(name != "default" && throttle.as_object().is_some_and(Map::is_empty)) {
            properties.insert("Throttle".into(), Value::Object(out));
        }
    }
    json!({"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": api.deployment_id, "Properties": properties})
}

/// `createUsagePlanKeyResource`.
fn usage_plan_key(key_id: &str, plan_id: &str) -> Value {
    json!({"Type": "AWS::ApiGateway::UsagePlanKey", "Properties": {
        "KeyId": {"Ref": key_id},
        "KeyType": "API_KEY",
        "UsagePlanId": {"Ref": plan_id}
    }})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::js::to_js_string;

    #[test]
    fn first_keys_are_javascripts() {
        assert_eq!(first_key(&json!("abc")).as_deref(), Some("0"));
        assert_eq!(first_key(&json!({"free": ["a"]})).as_deref(), Some("free"));
        assert_eq!(first_value(&json!("abc")), Some(json!("a")));
        assert_eq!(to_js_string(Some(&json!(1))), "1");
    }
}
