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

/// `String(value)` / a template literal `${value}`; `None` stands for `undefined`.
pub(crate) fn to_js_string(value: Option<&Value>) -> String {
    match value {
        None => "undefined".to_owned(),
        Some(Value::Null) => "null".to_owned(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => number_to_string(f),
            _ => n.to_string(),
        },
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| if item.is_null() { String::new() } else { to_js_string(Some(item)) })
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".to_owned(),
    }
}

/// JavaScript's `Number.prototype.toString()` for a finite double: the
/// shortest digits that round-trip, positioned by the ECMAScript rules
/// (plain notation from 1e-7 up to 1e21, exponent notation outside).
pub(crate) fn number_to_string(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    if !value.is_finite() {
        return if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_owned();
    }
    // serde_json writes the shortest digits that round-trip (`123.0`,
    // `0.001`, `1.5e-7`, `1e21`); only their digits and the position of the
    // point are used. (Not Rust's `{:e}`: that would bring the standard
    // library's own float formatting into the WebAssembly build.)
    let shortest = serde_json::Number::from_f64(value.abs()).map(|n| n.to_string()).unwrap_or_default();
    let (mantissa, exponent) = shortest.split_once(['e', 'E']).unwrap_or((&shortest, "0"));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{whole}{fraction}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0').to_owned();
    let k = digits.len() as i64;
    // ECMAScript's n: the value is 0.digits × 10^n.
    let n = whole.len() as i64 + exponent.trim_start_matches('+').parse::<i64>().unwrap_or(0) - leading as i64;
    let sign = if value < 0.0 { "-" } else { "" };
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let exponent = n - 1;
        let exponent = if exponent >= 0 { format!("+{exponent}") } else { exponent.to_string() };
        match k {
            1 => format!("{digits}e{exponent}"),
            _ => format!("{}.{}e{exponent}", &digits[..1], &digits[1..]),
        }
    };
    format!("{sign}{body}")
}

/// `haystack.replace(needle, replacement)` with a string `needle`: only the
/// first occurrence, and `$$`, `$&`, `` $` `` and `$'` in `replacement` mean
/// what JavaScript makes them mean.
pub(crate) fn replace_first(haystack: &str, needle: &str, replacement: &str) -> String {
    let Some(at) = haystack.find(needle) else { return haystack.to_owned() };
    let (before, after) = (&haystack[..at], &haystack[at + needle.len()..]);
    let mut expanded = String::with_capacity(replacement.len());
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            expanded.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => expanded.push('$'),
            Some('&') => expanded.push_str(needle),
            Some('`') => expanded.push_str(before),
            Some('\'') => expanded.push_str(after),
            _ => {
                expanded.push('$');
                continue;
            }
        }
        chars.next();
    }
    format!("{before}{expanded}{after}")
}

/// `JSON.stringify(value)`, compact: keys in insertion order, numbers as
/// JavaScript prints them (`1e+21`, not `1e21`).
pub(crate) fn stringify(value: &Value) -> String {
    match value {
        Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_none() => {
            n.as_f64().map_or_else(|| n.to_string(), number_to_string)
        }
        Value::Array(items) => format!("[{}]", items.iter().map(stringify).collect::<Vec<_>>().join(",")),
        Value::Object(map) => {
            let members: Vec<String> =
                map.iter().map(|(key, item)| format!("{}:{}", Value::String(key.clone()), stringify(item))).collect();
            format!("{{{}}}", members.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// `JSON.parse('"' + raw + '"')`: what a string becomes when the Framework
/// writes it between quotes into a JSON template without escaping it.
/// `None` where `JSON.parse` throws (a bare `"`, a lone `\`, a raw newline).
pub(crate) fn parse_quoted(raw: &str) -> Option<String> {
    serde_json::from_str::<String>(&format!("\"{raw}\"")).ok()
}

/// `lodash.merge(target, source)`: plain objects merge key by key, arrays
/// merge index by index, anything else in `source` replaces.
pub(crate) fn merge(target: &mut Value, source: &Value) {
    match (target, source) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), fresh_merge(value));
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(source)) => {
            for (i, value) in source.iter().enumerate() {
                match target.get_mut(i) {
                    Some(existing) => merge(existing, value),
                    None => target.push(fresh_merge(value)),
                }
            }
        }
        (target, source) => *target = fresh_merge(source),
    }
}

/// What `lodash.merge` writes where the target has nothing to merge into.
fn fresh_merge(source: &Value) -> Value {
    let mut fresh = match source {
        Value::Object(_) => Value::Object(serde_json::Map::new()),
        Value::Array(_) => Value::Array(Vec::new()),
        scalar => return scalar.clone(),
    };
    merge(&mut fresh, source);
    fresh
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

#[cfg(test)]
mod semantics {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_is_deep_and_index_wise() {
        let mut target = json!({"a": {"b": 1, "c": [1, 2]}, "d": [{"x": 1}, {"y": 2}]});
        merge(&mut target, &json!({"a": {"c": [9]}, "d": [{"z": 3}], "e": null}));
        assert_eq!(target, json!({"a": {"b": 1, "c": [9, 2]}, "d": [{"x": 1, "z": 3}, {"y": 2}], "e": null}));
    }

    #[test]
    fn replace_first_follows_javascript() {
        assert_eq!(replace_first("a-$[x]-$[x]", "$[x]", "b"), "a-b-$[x]");
        assert_eq!(replace_first("a", "$[x]", "b"), "a");
        assert_eq!(replace_first("<$[x]>", "$[x]", "$$-$&-$`-$'-$1"), "<$-$[x]-<->-$1>");
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (value, expected) in [
            (0.000005, "0.000005"),
            (1e-7, "1e-7"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (2e20, "200000000000000000000"),
            (1e21, "1e+21"),
            (1.25e22, "1.25e+22"),
            (123.456, "123.456"),
            (-0.5, "-0.5"),
            (100.0, "100"),
            (0.001, "0.001"),
            (1.5e-7, "1.5e-7"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.30000000000000004, "0.30000000000000004"),
        ] {
            assert_eq!(number_to_string(value), expected, "{value}");
        }
    }

    #[test]
    fn strings_like_template_literals() {
        assert_eq!(to_js_string(None), "undefined");
        assert_eq!(to_js_string(Some(&json!(1.5))), "1.5");
        assert_eq!(to_js_string(Some(&json!([1, null, "a"]))), "1,,a");
        assert_eq!(to_js_string(Some(&json!({"a": 1}))), "[object Object]");
    }

    #[test]
    fn stringify_and_quoted_parse_follow_json() {
        let v = json!({"b": [1, 1.5, "x\"y"], "a": {"n": null, "t": true}});
        assert_eq!(stringify(&v), r#"{"b":[1,1.5,"x\"y"],"a":{"n":null,"t":true}}"#);
        assert_eq!(stringify(&json!(1e21)), "1e+21");
        assert_eq!(parse_quoted(r#"{\"a\":1}"#).as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(parse_quoted("rate(1 day)").as_deref(), Some("rate(1 day)"));
        assert_eq!(parse_quoted(r#"say "hi""#), None);
        assert_eq!(parse_quoted(r"a\nb").as_deref(), Some("a\nb"));
        assert_eq!(parse_quoted("a\nb"), None, "a raw line break");
        assert_eq!(parse_quoted("a\\"), None);
    }
}
