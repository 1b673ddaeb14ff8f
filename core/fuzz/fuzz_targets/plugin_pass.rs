//! The two plugin passes on an arbitrary template and service, as the
//! plugin sends them (JSON text, `service \0 template`): never a panic, and
//! a plan with an error changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (service, template) = text.split_once('\0').unwrap_or((text, "{}"));
    for pass in [canaria_core::canary_pass, canaria_core::alerts_pass] {
        let Ok(plan) = pass(template, service) else { continue };
        let plan: serde_json::Value = serde_json::from_str(&plan).unwrap_or_default();
        let errors = plan["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["severity"] == "error"));
        if errors {
            assert_eq!(plan["resources"], serde_json::json!({}), "a refused plan carries resources");
        }
    }
});
