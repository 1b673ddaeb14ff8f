//! The Serverless Framework v3 naming rules that canaria reproduces exactly
//! (`lib/plugins/aws/lib/naming.js`). Every logical ID canaria writes or looks
//! up is derived here, so a rule lives in one place.

/// Logical ID of the shared Lambda execution role (`naming.getRoleLogicalId`).
pub const EXECUTION_ROLE_LOGICAL_ID: &str = "IamRoleLambdaExecution";

/// `_.upperFirst`: the first character upper-cased, the rest unchanged.
pub fn upper_first(name: &str) -> String {
    upper_first_owned(name.to_owned())
}

fn upper_first_owned(mut name: String) -> String {
    match name.chars().next() {
        Some(first) if first.is_ascii() => {
            name[..1].make_ascii_uppercase();
            name
        }
        Some(first) => first.to_uppercase().chain(name[first.len_utf8()..].chars()).collect(),
        None => name,
    }
}

/// `naming.getNormalizedResourceName`: `-` becomes `Dash`, `_` becomes
/// `Underscore`, then the first character is upper-cased.
pub fn normalized_resource_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 16);
    for ch in name.chars() {
        match ch {
            '-' => out.push_str("Dash"),
            '_' => out.push_str("Underscore"),
            other => out.push(other),
        }
    }
    upper_first_owned(out)
}

/// `naming.getLambdaLogicalId`: `hello-world` → `HelloDashworldLambdaFunction`.
pub fn lambda_logical_id(function_key: &str) -> String {
    format!("{}LambdaFunction", normalized_resource_name(function_key))
}

/// `naming.normalizeNameToAlphaNumericOnly`: drops everything outside
/// `[0-9A-Za-z]`, then upper-cases the first character.
pub fn alphanumeric_only(name: &str) -> String {
    let kept: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    upper_first(&kept)
}

/// `naming.normalizePathPart`: `_.capitalize` (which lower-cases all but the
/// first character), `-` → `Dash`, the span from the first `{` to the last
/// `}` → its inside + `Var`, then only `[0-9A-Za-z]` kept:
/// `{userId}` → `UseridVar`, `user-profile` → `UserDashprofile`.
pub fn normalize_path_part(part: &str) -> String {
    let capitalized = upper_first(&part.to_lowercase()).replace('-', "Dash");
    // `/\{(.*)\}/g`: greedy, so one match from the first `{` to the last `}`.
    let replaced = match (capitalized.find('{'), capitalized.rfind('}')) {
        (Some(open), Some(close)) if close > open => {
            format!("{}{}Var{}", &capitalized[..open], &capitalized[open + 1..close], &capitalized[close + 1..])
        }
        _ => capitalized,
    };
    upper_first(&replaced.chars().filter(char::is_ascii_alphanumeric).collect::<String>())
}

/// `naming.normalizePath`: each `/`-separated part normalised, then joined:
/// `users/{id}` → `UsersIdVar`.
pub fn normalize_path(path: &str) -> String {
    path.split('/').map(normalize_path_part).collect()
}

/// JavaScript's `string.slice(0, max)`: keeps at most `max` UTF-16 code units.
///
/// A cut that would split a surrogate pair keeps the whole pair out, because a
/// Rust string cannot hold half of one (JavaScript would keep a lone surrogate).
pub fn truncate_utf16(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (offset, ch) in text.char_indices() {
        units += ch.len_utf16();
        if units > max {
            return &text[..offset];
        }
    }
    text
}

/// `naming.getHttpApiRouteLogicalId`: `HttpApiRouteDefault` for `*`, else
/// `HttpApiRoute` + the normalised route key (`GET /users/{id}` →
/// `HttpApiRouteGetUsersIdVar`).
pub fn http_api_route_logical_id(route_key: &str) -> String {
    if route_key == "*" {
        return "HttpApiRouteDefault".to_owned();
    }
    format!("HttpApiRoute{}", normalize_path(route_key))
}

/// `hashName` of the Framework's EventBridge utilities: the first
/// `31 - suffix.len()` UTF-16 units of `name`, the hex MD5 of `name`, then
/// `-<suffix>`; 64 characters for a short ASCII suffix.
pub fn hash_name(name: &str, suffix: &str) -> String {
    let keep = 31usize.saturating_sub(suffix.encode_utf16().count());
    format!("{}{:x}-{suffix}", truncate_utf16(name, keep), md5::compute(name.as_bytes()))
}

/// `makeRuleName`: `<deployed function name>-rule-<index>` (1-based index
/// of the event in the function's `events:`).
pub fn event_bridge_rule_name(function_name: &str, index: usize) -> String {
    format!("{function_name}-rule-{index}")
}

/// `makeAndHashRuleName`: [`event_bridge_rule_name`], hashed by
/// [`hash_name`] when longer than 64 characters (EventBridge's limit).
pub fn event_bridge_hashed_rule_name(function_name: &str, index: usize) -> String {
    let name = event_bridge_rule_name(function_name, index);
    if name.encode_utf16().count() > 64 { hash_name(&name, &format!("rule-{index}")) } else { name }
}

/// `makeEventBusTargetId`: `<rule name>-target`, hashed when longer than 64.
pub fn event_bridge_target_id(rule_name: &str) -> String {
    let id = format!("{rule_name}-target");
    if id.encode_utf16().count() > 64 { hash_name(&id, "target") } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_logical_ids_follow_serverless() {
        assert_eq!(lambda_logical_id("hello"), "HelloLambdaFunction");
        assert_eq!(lambda_logical_id("pre-hook"), "PreDashhookLambdaFunction");
        assert_eq!(lambda_logical_id("post_hook"), "PostUnderscorehookLambdaFunction");
        assert_eq!(lambda_logical_id("a-b_c"), "ADashbUnderscorecLambdaFunction");
        assert_eq!(lambda_logical_id("-a"), "DashaLambdaFunction");
        assert_eq!(lambda_logical_id("éa"), "ÉaLambdaFunction");
        assert_eq!(lambda_logical_id("ßa"), "SSaLambdaFunction");
        assert_eq!(lambda_logical_id(""), "LambdaFunction");
    }

    #[test]
    fn stack_names_keep_only_alphanumerics() {
        assert_eq!(alphanumeric_only("canary-deployments-dev"), "Canarydeploymentsdev");
        assert_eq!(alphanumeric_only("custom_Stack-name.v2"), "CustomStacknamev2");
        assert_eq!(alphanumeric_only(""), "");
    }

    #[test]
    fn rest_api_paths_follow_serverless() {
        assert_eq!(normalize_path("users/{id}"), "UsersIdVar");
        assert_eq!(normalize_path("users/{userId}/user-profile"), "UsersUseridVarUserDashprofile");
        assert_eq!(normalize_path("{proxy+}"), "ProxyVar");
        assert_eq!(normalize_path("v1/HELLO_world.json"), "V1Helloworldjson");
        // Greedy: one `Var` for the span from the first `{` to the last `}`.
        assert_eq!(normalize_path_part("{a}-{b}"), "ADashbVar");
        assert_eq!(normalize_path_part("}{"), "");
        assert_eq!(normalize_path(""), "");
    }

    #[test]
    fn truncation_counts_utf16_units() {
        assert_eq!(truncate_utf16("abcdef", 3), "abc");
        assert_eq!(truncate_utf16("abc", 100), "abc");
        // U+1F600 is two UTF-16 units: it does not fit in the third and fourth.
        assert_eq!(truncate_utf16("ab\u{1F600}c", 3), "ab");
        assert_eq!(truncate_utf16("ab\u{1F600}c", 4), "ab\u{1F600}");
    }

    #[test]
    fn path_parts_follow_lodash_capitalize() {
        assert_eq!(normalize_path_part("{userId}"), "UseridVar");
        assert_eq!(normalize_path_part("user-profile"), "UserDashprofile");
        assert_eq!(normalize_path_part("{proxy+}"), "ProxyVar");
        assert_eq!(normalize_path_part("GET "), "Get");
        assert_eq!(http_api_route_logical_id("GET /users/{id}"), "HttpApiRouteGetUsersIdVar");
        assert_eq!(http_api_route_logical_id("ANY /{proxy+}"), "HttpApiRouteAnyProxyVar");
        assert_eq!(http_api_route_logical_id("*"), "HttpApiRouteDefault");
        // Greedy: from the first `{` to the last `}`.
        assert_eq!(http_api_route_logical_id("POST /a/{b}-{c}"), "HttpApiRoutePostABDashcVar");
    }

    #[test]
    fn long_event_bridge_names_are_hashed_as_the_framework_does() {
        // Short names are kept.
        assert_eq!(event_bridge_hashed_rule_name("svc-dev-fn", 1), "svc-dev-fn-rule-1");
        assert_eq!(event_bridge_target_id("svc-dev-fn-rule-1"), "svc-dev-fn-rule-1-target");
        // Values printed by the Framework's own event-bridge/utils.js.
        let long = "a-very-long-service-name-for-testing-dev-a-very-long-function-name";
        let rule = event_bridge_hashed_rule_name(long, 2);
        assert_eq!(rule, "a-very-long-service-name-0dc51e01d62327eda321cc7a29cee506-rule-2");
        assert_eq!(event_bridge_target_id(&rule), "a-very-long-service-name-320b3a29942a9fc06c692289e56a2b24-target");
        assert_eq!(
            event_bridge_target_id("my-custom-rule-name-that-is-long-enough-to-need-hashing-now"),
            "my-custom-rule-name-that-46f0b642bfae419adb4b0968345d6726-target"
        );
        assert_eq!(hash_name("abc", "x"), "abc900150983cd24fb0d6963f7d28e17f72-x");
    }
}
