//! What the event-source compilers (s3, sqs, sns, stream, iot) share: the
//! events of one type, `_.merge` into the resources, the role a mapping
//! waits for, and JavaScript's reading of the intrinsics an ARN is written
//! with.

use serde_json::{Value, json};

use super::super::functions::custom_role;
use super::super::{Compiler, Function};
use crate::js::truthy;
use crate::naming;

/// The function's events of type `kind` whose value is truthy (the
/// Framework's `if (event.<kind>)`), with their index and value.
pub(super) fn events_of<'f>(function: &'f Function<'_>, kind: &str) -> Vec<(usize, &'f Value)> {
    function
        .events()
        .iter()
        .enumerate()
        .filter_map(|(index, event)| event.as_object()?.get(kind).filter(|v| truthy(v)).map(|value| (index, value)))
        .collect()
}

/// `functions.<key>.events[<i>].<kind>`, where a diagnostic about the event points.
pub(super) fn event_path(function: &Function<'_>, index: usize, kind: &str) -> String {
    format!("{}.events[{index}].{kind}", function.path())
}

impl Compiler<'_> {
    /// `_.merge(Resources, { [id]: resource })`.
    pub(crate) fn merge_resource(&mut self, id: &str, resource: Value) {
        match self.resources.get_mut(id) {
            Some(existing) => crate::js::merge(existing, &resource),
            None => {
                let mut fresh = Value::Object(serde_json::Map::new());
                crate::js::merge(&mut fresh, &resource);
                self.resources.insert(id.to_owned(), fresh);
            }
        }
    }
}

/// `provider.resolveFunctionIamRoleResourceName`: the role resource an event
/// source mapping depends on, `None` for a role outside the stack.
pub(super) fn role_dependency(compiler: &Compiler<'_>, function: &Function<'_>) -> Option<String> {
    let execution = || Some(naming::EXECUTION_ROLE_LOGICAL_ID.to_owned());
    match custom_role(compiler, function) {
        None => execution(),
        Some(Value::String(role)) if role.contains(':') => None,
        Some(Value::String(role)) => Some(role.clone()),
        Some(Value::Object(role)) => {
            if let Some(Value::Array(get_att)) = role.get("Fn::GetAtt")
                && let [Value::String(id), Value::String(attribute)] = get_att.as_slice()
                && attribute == "Arn"
            {
                return Some(id.clone());
            }
            if ["Fn::ImportValue", "Ref", "Fn::Sub"].iter().any(|key| role.get(*key).is_some_and(truthy)) {
                return None;
            }
            execution()
        }
        Some(_) => execution(),
    }
}

/// `value[0]` as JavaScript reads it for a name: the first item of a list,
/// or the first character of a string; `None` where that is no string.
pub(super) fn first_of(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => items.first()?.as_str().map(str::to_owned),
        Value::String(text) => text.chars().next().map(String::from),
        _ => None,
    }
}

/// `intrinsic['Fn::Join'][1].slice(-1).pop()`, where it is a string.
pub(super) fn last_joined(join: &Value) -> Option<String> {
    join.as_array()?.get(1)?.as_array()?.last()?.as_str().map(str::to_owned)
}

/// `filterPatterns` → `FilterCriteria`: each pattern `JSON.stringify`-ed.
/// `Err` where the Framework's `.map` fails (not a list).
pub(super) fn filter_criteria(patterns: &Value) -> Result<Value, ()> {
    let Value::Array(patterns) = patterns else { return Err(()) };
    let filters: Vec<Value> =
        patterns.iter().map(|pattern| json!({"Pattern": serde_json::to_string(pattern).unwrap_or_default()})).collect();
    Ok(json!({"Filters": filters}))
}

/// The alias's logical ID, when events target an alias.
pub(super) fn alias_id(function: &Function<'_>) -> Option<String> {
    function.target_alias().map(|(_, id)| id)
}

/// `/\r?\n/g` replaced by nothing.
pub(super) fn strip_newlines(text: &str) -> String {
    text.replace("\r\n", "").replace('\n', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_from_intrinsics_as_javascript_does() {
        assert_eq!(first_of(&json!(["Queue", "Arn"])), Some("Queue".into()));
        // `'Queue.Arn'[0]`: the first character only.
        assert_eq!(first_of(&json!("Queue.Arn")), Some("Q".into()));
        assert_eq!(first_of(&json!([])), None);
        assert_eq!(first_of(&json!([{"Ref": "X"}])), None);
        let join = json!(["", ["arn:aws:sqs:", {"Ref": "AWS::Region"}, ":123:orders"]]);
        assert_eq!(last_joined(&join), Some(":123:orders".into()));
        assert_eq!(last_joined(&json!(["", [{"Ref": "X"}]])), None);
        assert_eq!(last_joined(&json!(["", "abc"])), None);
    }

    #[test]
    fn filter_patterns_are_stringified_compactly() {
        let criteria = filter_criteria(&json!([{"body": {"kind": ["a"]}}, "raw"]));
        assert_eq!(
            criteria,
            Ok(json!({"Filters": [{"Pattern": "{\"body\":{\"kind\":[\"a\"]}}"}, {"Pattern": "\"raw\""}]}))
        );
        assert_eq!(filter_criteria(&json!({"body": 1})), Err(()));
    }

    #[test]
    fn newlines_are_removed_but_not_lone_carriage_returns() {
        assert_eq!(strip_newlines("a\nb\r\nc\rd"), "abc\rd");
    }
}
