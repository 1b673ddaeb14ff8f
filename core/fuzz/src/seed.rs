//! Writes the fuzz corpora's seeds from the test fixtures:
//! `cargo run --bin seed -- <corpus dir> <service dir>...`.
//!
//! Every serverless.yml found seeds `yaml_parse`, `validate` and `compile`.
//! For `plugin_pass`, each is compiled without its canary settings (the
//! template the plugin's hook receives) and paired with the service JSON the
//! plugin sends.

use std::path::{Path, PathBuf};

use canaria_core::compile::{Options, compile_config};
use serde_json::{Value, json};

fn services(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            services(&path, found);
        } else if path.file_name().is_some_and(|n| n == "serverless.yml") {
            found.push(path);
        }
    }
}

/// What the plugin sends as the service: the keys canaria reads.
fn service_json(config: &Value) -> Value {
    let name = config["service"].as_str().unwrap_or("svc");
    let mut functions = config["functions"].as_object().cloned().unwrap_or_default();
    for (key, function) in &mut functions {
        if let Some(function) = function.as_object_mut() {
            function.entry("name").or_insert_with(|| json!(format!("{name}-dev-{key}")));
        }
    }
    json!({
        "service": name, "stackName": format!("{name}-dev"), "stage": "dev", "region": "us-east-1",
        "custom": config["custom"], "resources": config["resources"], "functions": functions
    })
}

/// The configuration without `deploymentSettings`, global or per function.
fn without_canary(config: &Value) -> Value {
    let mut config = config.clone();
    if let Some(custom) = config.get_mut("custom").and_then(Value::as_object_mut) {
        custom.remove("deploymentSettings");
    }
    if let Some(functions) = config.get_mut("functions").and_then(Value::as_object_mut) {
        for function in functions.values_mut().filter_map(Value::as_object_mut) {
            function.remove("deploymentSettings");
        }
    }
    config
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "corpus".into()));
    let mut found = Vec::new();
    for dir in args {
        services(Path::new(&dir), &mut found);
    }
    for target in ["yaml_parse", "validate", "compile", "plugin_pass"] {
        std::fs::create_dir_all(corpus.join(target))?;
    }
    let mut written = 0;
    for (index, path) in found.iter().enumerate() {
        let text = std::fs::read_to_string(path)?;
        for target in ["yaml_parse", "validate", "compile"] {
            std::fs::write(corpus.join(target).join(format!("seed-{index}")), &text)?;
        }
        let Ok(source) = canaria_core::yaml::load(&text) else { continue };
        let compiled = compile_config(&without_canary(&source.value), &Options::default());
        if let Some(template) = compiled.template {
            let input = format!("{}\0{}", service_json(&source.value), template);
            std::fs::write(corpus.join("plugin_pass").join(format!("seed-{index}")), input)?;
        }
        written += 1;
    }
    println!("seeded {written} services into {}", corpus.display());
    Ok(())
}
