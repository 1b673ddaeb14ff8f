//! What a pass over the template produces: the resources to merge, and the
//! diagnostics that decide whether they may be merged.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::Diagnostic;

/// Resources a pass adds to or replaces in `Resources`, in assignment order.
#[derive(Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Plan {
    /// Logical ID → resource. Existing IDs are replaced in place; new IDs are
    /// appended in this order.
    pub resources: Map<String, Value>,
    /// Logical IDs to delete from `Resources` (e.g. the Framework's
    /// `provisioned` alias, replaced by the canary alias).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// Everything wrong with the settings. When any is an error, the plan
    /// must not be applied and the template stays untouched.
    pub diagnostics: Vec<Diagnostic>,
}

/// An object of `pairs`, in order, built by moving the values in (`json!`
/// copies every value it is given that is not a literal).
pub(crate) fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(pairs.into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
}

/// `{"Type": kind, "Properties": properties}`, built by moving `properties`
/// in (`json!` would copy it).
pub(crate) fn resource(kind: &str, properties: impl Into<Value>) -> Value {
    let mut resource = Map::with_capacity(2);
    resource.insert("Type".into(), Value::String(kind.to_owned()));
    resource.insert("Properties".into(), properties.into());
    Value::Object(resource)
}

impl Plan {
    /// A plan that changes nothing and reports `diagnostics`.
    pub(crate) fn refused(diagnostics: Vec<Diagnostic>) -> Self {
        Self { resources: Map::new(), removed: Vec::new(), diagnostics }
    }

    /// Whether an error diagnostic stops the plan from being applied.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Merges the plan into `template.Resources` the way `Object.assign`
    /// does (replaced resources keep their position, new ones are appended)
    /// and deletes the removed ones,
    /// unless it has errors. Returns the diagnostics.
    pub fn apply_to(self, template: &mut Value) -> Vec<Diagnostic> {
        if !self.has_errors()
            && let Some(root) = template.as_object_mut()
        {
            let resources = root.entry("Resources").or_insert_with(|| Value::Object(Map::new()));
            if let Some(resources) = resources.as_object_mut() {
                resources.extend(self.resources);
                for id in &self.removed {
                    resources.shift_remove(id);
                }
            }
        }
        self.diagnostics
    }
}
