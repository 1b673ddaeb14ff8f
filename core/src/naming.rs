//! The Serverless Framework v3 naming rules that canaria reproduces exactly
//! (`lib/plugins/aws/lib/naming.js`). Every logical ID canaria writes or looks
//! up is derived here, so a rule lives in one place.

/// Logical ID of the shared Lambda execution role (`naming.getRoleLogicalId`).
pub const EXECUTION_ROLE_LOGICAL_ID: &str = "IamRoleLambdaExecution";

/// `_.upperFirst`: the first character upper-cased, the rest unchanged.
pub fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `naming.getNormalizedResourceName`: `-` becomes `Dash`, `_` becomes
/// `Underscore`, then the first character is upper-cased.
pub fn normalized_resource_name(name: &str) -> String {
    upper_first(&name.replace('-', "Dash").replace('_', "Underscore"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_logical_ids_follow_serverless() {
        assert_eq!(lambda_logical_id("hello"), "HelloLambdaFunction");
        assert_eq!(lambda_logical_id("pre-hook"), "PreDashhookLambdaFunction");
        assert_eq!(lambda_logical_id("post_hook"), "PostUnderscorehookLambdaFunction");
        assert_eq!(lambda_logical_id("a-b_c"), "ADashbUnderscorecLambdaFunction");
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
}
