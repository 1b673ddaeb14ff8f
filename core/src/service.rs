//! The slice of a Serverless service that canaria reads. The plugin fills it
//! from `serverless.service`; standalone compile fills it from serverless.yml.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// The resolved service configuration canaria needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Service {
    /// `naming.getStackName()`: `provider.stackName`, else `<service>-<stage>`.
    pub stack_name: String,
    /// `provider.getStage()`.
    pub stage: String,
    /// `service:`, the service's name.
    #[serde(default, rename = "service")]
    pub name: String,
    /// The region the service deploys to (`--region`, else `provider.region`).
    #[serde(default)]
    pub region: String,
    /// The `custom:` block (only the keys canaria owns need to be present).
    #[serde(default, deserialize_with = "object_or_empty")]
    pub custom: Map<String, Value>,
    /// The user's `resources:` block (`Resources`, `Parameters`, …), which
    /// the Framework merges into the template after the alerts pass.
    #[serde(default)]
    pub resources: Value,
    /// `functions:` in service order, key → configuration. Besides the keys
    /// canaria owns (`deploymentSettings`, `alarms`), `name` holds the
    /// deployed function name.
    #[serde(default, deserialize_with = "object_or_empty")]
    pub functions: Map<String, Value>,
}

/// `null` (an empty YAML block) reads as an empty object.
fn object_or_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Map<String, Value>, D::Error> {
    Ok(Option::<Map<String, Value>>::deserialize(deserializer)?.unwrap_or_default())
}

impl Service {
    /// Merges the user's `resources:` into `template`, as the Framework's
    /// `mergeCustomProviderResources` does (a deep `lodash.merge`).
    pub(crate) fn merge_user_resources(&self, template: &mut Value) {
        let Some(template) = template.as_object_mut() else { return };
        for key in ["Resources", "Parameters", "Outputs"] {
            if let Some(user) = self.resources.get(key).filter(|r| r.is_object()) {
                crate::js::merge(template.entry(key).or_insert(Value::Null), user);
            }
        }
    }
}
