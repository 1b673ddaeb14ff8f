//! CloudFormation's per-stack quotas, checked on the finished template.

use serde_json::Value;

use crate::diagnostic::{self, Diagnostic};
use crate::plan::Plan;

/// Resources per stack.
pub const MAX_RESOURCES: usize = 500;
/// Outputs per stack.
pub const MAX_OUTPUTS: usize = 200;
/// Parameters per stack.
pub const MAX_PARAMETERS: usize = 200;
/// Bytes of a template body (uploaded through S3).
pub const MAX_BYTES: usize = 1_000_000;

/// The quotas `template` exceeds once `plan` is merged into it.
/// `template_bytes` is the length of the template as compact JSON.
pub fn check(template: &Value, plan: &Plan, template_bytes: usize) -> Vec<Diagnostic> {
    check_sized(template, plan.resources.iter().map(|(id, resource)| (id.as_str(), json_len(resource))), template_bytes)
}

/// [`check`], given the logical ID of each planned resource with its
/// length as compact JSON (known when the plan has just been written out).
pub(crate) fn check_sized<'a>(
    template: &Value,
    planned: impl IntoIterator<Item = (&'a str, usize)>,
    template_bytes: usize,
) -> Vec<Diagnostic> {
    let count = |key: &str| template.get(key).and_then(Value::as_object).map_or(0, serde_json::Map::len);
    let existing = template.get("Resources").and_then(Value::as_object);
    let mut resources = count("Resources");
    let mut bytes = template_bytes;
    for (id, size) in planned {
        match existing.and_then(|r| r.get(id)) {
            Some(original) => bytes = (bytes + size).saturating_sub(json_len(original)),
            None => {
                resources += 1;
                // `"id":` and a comma.
                bytes += size + id.len() + 4;
            }
        }
    }
    let mut out = Vec::new();
    if resources > MAX_RESOURCES {
        out.push(diagnostic::too_many_resources(resources, MAX_RESOURCES));
    }
    if count("Outputs") > MAX_OUTPUTS {
        out.push(diagnostic::too_many_outputs(count("Outputs"), MAX_OUTPUTS));
    }
    if count("Parameters") > MAX_PARAMETERS {
        out.push(diagnostic::too_many_parameters(count("Parameters"), MAX_PARAMETERS));
    }
    if bytes > MAX_BYTES {
        out.push(diagnostic::template_too_large(bytes, MAX_BYTES));
    }
    out
}

/// The length of `value` as compact JSON, counted without building the text.
pub(crate) fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_quota_warns_past_its_limit() {
        let many = |n: usize| serde_json::Value::Object((0..n).map(|i| (format!("R{i}"), json!({}))).collect());
        let template = json!({"Resources": many(499), "Outputs": many(201), "Parameters": many(200)});
        let mut plan = Plan::default();
        plan.resources.insert("New1".into(), json!({"Type": "X"}));
        plan.resources.insert("New2".into(), json!({"Type": "X"}));
        let codes: Vec<&str> = check(&template, &plan, 999_990).iter().map(|d| d.code).collect();
        assert_eq!(codes, ["template/too-many-resources", "template/too-many-outputs", "template/too-large"]);
        assert!(check(&template, &Plan::default(), 10).iter().all(|d| d.code != "template/too-many-resources"));
    }
}
