//! The few JavaScript semantics the original plugins rely on, so that canaria
//! decides exactly where they decided.

use serde_json::Value;

/// JavaScript truthiness of a JSON value.
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// `String(value)` for the scalar values a logical ID can be built from.
pub(crate) fn scalar_to_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Follows object keys and array indices; `None` where the path does not exist.
pub(crate) fn get<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, key| match node {
        Value::Object(map) => map.get(*key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// The first element of an intrinsic's argument list, e.g. the logical ID of
/// `{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}`, when it is a string.
pub(crate) fn first_str(value: Option<&Value>) -> Option<&str> {
    value?.as_array()?.first()?.as_str()
}

/// Calls `visit` on every string leaf of `value`, as `flat()` + `_.includes`
/// see them: nested objects and arrays are walked, strings are leaves.
pub(crate) fn for_each_string_leaf<'a>(value: &'a Value, visit: &mut impl FnMut(&'a str)) {
    match value {
        Value::String(s) => visit(s),
        Value::Array(items) => items.iter().for_each(|item| for_each_string_leaf(item, visit)),
        Value::Object(map) => map.values().for_each(|item| for_each_string_leaf(item, visit)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn truthiness_matches_javascript() {
        for falsy in [json!(null), json!(false), json!(0), json!(""), json!(0.0)] {
            assert!(!truthy(&falsy), "{falsy} should be falsy");
        }
        for truthy_value in [json!(true), json!(1), json!("x"), json!([]), json!({})] {
            assert!(truthy(&truthy_value), "{truthy_value} should be truthy");
        }
    }

    #[test]
    fn paths_walk_objects_and_arrays() {
        let v = json!({"a": [{"b": "c"}]});
        assert_eq!(get(&v, &["a", "0", "b"]), Some(&json!("c")));
        assert_eq!(get(&v, &["a", "1", "b"]), None);
        assert_eq!(get(&v, &["a", "x"]), None);
    }

    #[test]
    fn string_leaves_are_found_at_any_depth() {
        let v = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, {"Fn::GetAtt": ["F", "Arn"]}]]});
        let mut leaves = Vec::new();
        for_each_string_leaf(&v, &mut |s| leaves.push(s));
        assert_eq!(leaves, ["", "arn:", "AWS::Partition", "F", "Arn"]);
    }
}
