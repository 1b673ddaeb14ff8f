//! The rendered messages of every invalid service in `tests/invalid/`,
//! snapshotted so that any change of wording is reviewed.

use canaria_core::{render::render, validate};

#[test]
fn rendered_diagnostics_of_every_invalid_service() {
    insta::glob!("../../tests/invalid", "*/serverless.yml", |path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let diagnostics = validate::validate_source(&text, &validate::Options::default());
        let rendered: String =
            diagnostics.iter().map(|d| render(d, &text, "serverless.yml")).collect::<Vec<_>>().join("\n");
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn every_code_is_documented() {
    let source = include_str!("../src/diagnostic.rs");
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/diagnostics.md")).unwrap_or_default();
    let codes: Vec<&str> = source
        .split('"')
        .filter(|s| {
            s.split_once('/').is_some_and(|(area, name)| {
                ["canary", "alerts", "yaml", "template", "compile", "variables"].contains(&area)
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            })
        })
        .collect();
    assert!(codes.len() > 40, "found only {} codes", codes.len());
    for code in codes {
        assert!(docs.contains(&format!("### `{code}`")), "docs/diagnostics.md has no section for {code}");
    }
}
