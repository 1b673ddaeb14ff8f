//! Standalone compile: serverless.yml text to the CloudFormation template
//! that `sls package` (Serverless Framework v3.40) writes, with no Framework.
//!
//! The steps follow the Framework's `package` lifecycle, in its order, so the
//! resources come out with the same logical IDs and in the same order:
//!
//! 1. `package:initialize`: the core template (deployment bucket and policy);
//! 2. `package:setupProviderConfiguration`: log groups and the execution role;
//! 3. `package:compileFunctions`: functions, versions, URLs, invoke configs;
//! 4. `package:compileEvents`: each event compiler in the Framework's plugin
//!    order, then the alerts pass (a service plugin runs after the built-ins);
//! 5. `aws:package:finalize`: export names, the user's `resources:`, the
//!    canary pass, and the removal of `null` properties.
//!
//! What `sls package` derives from the code zip or the clock cannot be known
//! from the configuration; [`placeholder`] documents the stable stand-ins.

mod coerce;
mod core_template;
mod custom_resources;
mod events;
mod functions;
mod hash;
pub mod placeholder;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::diagnostic::{self, Diagnostic};
use crate::{Service, alerts, canary, naming, yaml};

/// What the caller gives in place of the command line, the environment and
/// the service's other files: stage, region, `--param`s, the environment for
/// `${env:…}`, and files by path relative to serverless.yml for `${file(…)}`.
pub type Options = crate::variables::Context;

/// Which resources of the template canaria's own passes wrote.
#[derive(Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Ownership {
    /// Resources the alerts and canary passes added.
    pub added: Vec<String>,
    /// Existing resources the canary pass rewrote to go through the alias.
    pub rewired: Vec<String>,
}

/// The result of a standalone compile.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Compiled {
    /// The template, or `None` when an error stops the compile.
    pub template: Option<Value>,
    /// Everything found on the way, each placed at its line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Which resources the canary and alerts passes wrote.
    pub resources: Ownership,
}

/// Compiles serverless.yml text into the template `sls package` writes.
pub fn compile_source(text: &str, options: &Options) -> Compiled {
    let source = match yaml::load(text) {
        Ok(source) => source,
        Err(diagnostic) => {
            return Compiled { template: None, diagnostics: vec![diagnostic], resources: Ownership::default() };
        }
    };
    let mut config = source.value.clone();
    let mut diagnostics = crate::variables::resolve(&mut config, options);
    let compiled = compile_config(&config, options);
    diagnostics.extend(compiled.diagnostics);
    let located = diagnostics.into_iter().map(|d| crate::validate::locate(d, &source)).collect::<Vec<_>>();
    let failed = located.iter().any(Diagnostic::is_error);
    Compiled { template: compiled.template.filter(|_| !failed), diagnostics: located, resources: compiled.resources }
}

/// Compiles a configuration already read from YAML (variables as written).
pub fn compile_config(config: &Value, options: &Options) -> Compiled {
    let mut config = config.clone();
    coerce::configuration(&mut config);
    let mut compiler = match Compiler::new(&config, options) {
        Ok(compiler) => compiler,
        Err(diagnostics) => return Compiled { template: None, diagnostics, resources: Ownership::default() },
    };
    compiler.report_what_is_not_compiled();
    core_template::generate(&mut compiler);
    core_template::merge_iam(&mut compiler);
    functions::compile(&mut compiler);
    events::compile(&mut compiler);
    compiler.finish()
}

/// One function of the service, as the compilers see it.
pub(crate) struct Function<'c> {
    /// The key under `functions:`.
    pub(crate) key: &'c str,
    /// Its configuration.
    pub(crate) config: &'c Map<String, Value>,
    /// The deployed name: `name:`, else `<service>-<stage>-<key>`.
    pub(crate) name: String,
    /// `naming.getNormalizedFunctionName(key)`.
    pub(crate) normalized: String,
    /// `<normalized>LambdaFunction`.
    pub(crate) logical_id: String,
}

impl Function<'_> {
    /// `functions.<key>`, the start of every path about this function.
    pub(crate) fn path(&self) -> String {
        format!("functions.{}", self.key)
    }

    /// A key of the function's configuration.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.config.get(key).filter(|v| !v.is_null())
    }

    /// The function's `events:` list (empty when absent).
    pub(crate) fn events(&self) -> &[Value] {
        self.get("events").and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }

    /// The alias event sources invoke instead of the function, `(name,
    /// logical ID)`: SnapStart's, else provisioned concurrency's.
    pub(crate) fn target_alias(&self) -> Option<(&'static str, String)> {
        if self.get("snapStart").is_some_and(crate::js::truthy) {
            Some(("snapstart", format!("{}SnapStartLambdaAlias", self.normalized)))
        } else if self.get("provisionedConcurrency").is_some_and(crate::js::truthy) {
            Some(("provisioned", format!("{}ProvConcLambdaAlias", self.normalized)))
        } else {
            None
        }
    }

    /// An `AWS::Lambda::Permission` that lets `principal` invoke this
    /// function's target, with the rest of its `properties` after
    /// `FunctionName`, `Action` and `Principal`; keys in the Framework's
    /// order, and `DependsOn` the alias when there is one.
    pub(crate) fn permission(&self, principal: &str, properties: Map<String, Value>) -> Value {
        let mut permission = Map::new();
        permission.insert("Type".into(), json!("AWS::Lambda::Permission"));
        if let Some((_, alias)) = self.target_alias() {
            permission.insert("DependsOn".into(), json!(alias));
        }
        let mut all = Map::new();
        all.insert("FunctionName".into(), self.target());
        all.insert("Action".into(), json!("lambda:InvokeFunction"));
        all.insert("Principal".into(), json!(principal));
        all.extend(properties);
        permission.insert("Properties".into(), Value::Object(all));
        Value::Object(permission)
    }

    /// `resolveLambdaTarget`: the ARN event sources invoke, the function's
    /// or its alias's.
    pub(crate) fn target(&self) -> Value {
        let arn = json!({"Fn::GetAtt": [self.logical_id, "Arn"]});
        match self.target_alias() {
            Some((name, _)) => json!({"Fn::Join": [":", [arn, name]]}),
            None => arn,
        }
    }
}

/// The state of one compile: the configuration, the template being built,
/// and what was found.
pub(crate) struct Compiler<'c> {
    /// The whole configuration.
    pub(crate) config: &'c Value,
    /// `provider:` (an empty object when absent).
    pub(crate) provider: &'c Map<String, Value>,
    /// The service's name.
    pub(crate) service: String,
    /// The stage.
    pub(crate) stage: String,
    /// The region.
    pub(crate) region: String,
    /// The functions, in service order.
    pub(crate) functions: Vec<Function<'c>>,
    /// The template's `Resources`, in insertion order.
    pub(crate) resources: Map<String, Value>,
    /// The template's `Outputs`, in insertion order.
    pub(crate) outputs: Map<String, Value>,
    /// Everything found so far.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'c> Compiler<'c> {
    fn new(config: &'c Value, options: &Options) -> Result<Self, Vec<Diagnostic>> {
        let Some(root) = config.as_object() else {
            return Err(vec![diagnostic::config_not_object(config)]);
        };
        let service = match root.get("service") {
            Some(Value::String(name)) => name.clone(),
            Some(Value::Object(service)) => service.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
            _ => String::new(),
        };
        if service.is_empty() {
            return Err(vec![diagnostic::service_name_missing()]);
        }
        let provider = root.get("provider").and_then(Value::as_object).unwrap_or(&EMPTY);
        let text = |key: &str| provider.get(key).and_then(Value::as_str).map(str::to_owned);
        let stage = options.stage.clone().or_else(|| text("stage")).unwrap_or_else(|| "dev".to_owned());
        let region = options.region.clone().or_else(|| text("region")).unwrap_or_else(|| "us-east-1".to_owned());
        let mut diagnostics = Vec::new();
        let mut functions = Vec::new();
        if let Some(declared) = root.get("functions").and_then(Value::as_object) {
            for (key, value) in declared {
                let Some(function) = value.as_object() else {
                    diagnostics.push(diagnostic::function_not_object(format!("functions.{key}"), value));
                    continue;
                };
                let name = match function.get("name") {
                    Some(Value::String(name)) => name.clone(),
                    _ => format!("{service}-{stage}-{key}"),
                };
                let normalized = naming::normalized_resource_name(key);
                functions.push(Function {
                    key,
                    config: function,
                    name,
                    logical_id: format!("{normalized}LambdaFunction"),
                    normalized,
                });
            }
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        Ok(Self {
            config,
            provider,
            service,
            stage,
            region,
            functions,
            resources: Map::new(),
            outputs: Map::new(),
            diagnostics,
        })
    }

    /// Notes the plugins it does not run and the service-level settings it
    /// does not compile.
    fn report_what_is_not_compiled(&mut self) {
        /// canaria itself, and the two plugins it replaces.
        const OWN: &[&str] =
            &["serverless-canaria", "serverless-plugin-canary-deployments", "serverless-plugin-aws-alerts"];
        let plugins = match self.config.get("plugins") {
            Some(Value::Array(list)) => Some(("plugins", list)),
            Some(Value::Object(map)) => {
                map.get("modules").and_then(Value::as_array).map(|list| ("plugins.modules", list))
            }
            _ => None,
        };
        if let Some((base, list)) = plugins {
            for (index, plugin) in list.iter().enumerate() {
                if let Some(name) = plugin.as_str().filter(|name| !OWN.contains(name)) {
                    self.diagnostics.push(diagnostic::plugin_not_run(format!("{base}[{index}]"), name));
                }
            }
        }
        if self.config.get("layers").is_some_and(crate::js::truthy) {
            self.diagnostics.push(diagnostic::unsupported_key("layers".into(), "layers"));
        }
    }

    /// A `provider:` key, `None` when absent or `null`.
    pub(crate) fn provider(&self, key: &str) -> Option<&'c Value> {
        self.provider.get(key).filter(|v| !v.is_null())
    }

    /// The statements of the execution role's policy, when the Framework
    /// creates the role (no custom role everywhere).
    pub(crate) fn role_statements(&mut self) -> Option<&mut Vec<Value>> {
        self.resources
            .get_mut(naming::EXECUTION_ROLE_LOGICAL_ID)?
            .pointer_mut("/Properties/Policies/0/PolicyDocument/Statement")?
            .as_array_mut()
    }

    /// The [`Service`] the alerts and canary passes read.
    fn service_view(&self) -> Service {
        let options =
            Options { stage: Some(self.stage.clone()), region: Some(self.region.clone()), ..Options::default() };
        crate::validate::service(self.config, &options)
    }

    /// The finalize steps and the two canaria passes; then the template.
    fn finish(mut self) -> Compiled {
        let service = self.service_view();
        // Moved in: `json!` would copy the resources.
        let mut template = crate::plan::object([
            ("AWSTemplateFormatVersion", Value::from("2010-09-09")),
            ("Description", Value::from("The AWS CloudFormation template for this Serverless application")),
            ("Resources", Value::Object(std::mem::take(&mut self.resources))),
            ("Outputs", Value::Object(std::mem::take(&mut self.outputs))),
        ]);
        let mut ownership = Ownership::default();
        // `package:compileEvents`, after the built-in compilers: alerts.
        let alerts = alerts::plan(&template, &service);
        record(&mut ownership, &template, &alerts);
        self.diagnostics.extend(alerts.apply_to(&mut template));
        // `aws:package:finalize`.
        add_export_names(&mut template, &self.service, &self.stage);
        if let Err(diagnostic) = merge_custom_resources(&mut template, self.config.get("resources")) {
            self.diagnostics.push(diagnostic);
        }
        let canary = canary::plan(&template, &service);
        record(&mut ownership, &template, &canary);
        let canary_errors = canary.has_errors();
        self.diagnostics.extend(canary.apply_to(&mut template));
        strip_null_properties(&mut template);
        if !canary_errors {
            let bytes = crate::quota::json_len(&template);
            let counted = crate::Plan::default();
            self.diagnostics.extend(crate::quota::check(&template, &counted, bytes));
        }
        let failed = self.diagnostics.iter().any(Diagnostic::is_error);
        Compiled { template: (!failed).then_some(template), diagnostics: self.diagnostics, resources: ownership }
    }
}

/// Notes which resources a pass's plan adds and which it rewrites.
fn record(ownership: &mut Ownership, template: &Value, plan: &crate::Plan) {
    if plan.has_errors() {
        return;
    }
    for id in plan.resources.keys() {
        if template["Resources"].get(id).is_some() {
            ownership.rewired.push(id.clone());
        } else {
            ownership.added.push(id.clone());
        }
    }
}

/// `addExportNameForOutputs`: every output the Framework wrote is exported
/// as `sls-<service>-<stage>-<key>`.
fn add_export_names(template: &mut Value, service: &str, stage: &str) {
    let Some(outputs) = template.get_mut("Outputs").and_then(Value::as_object_mut) else { return };
    for (key, output) in outputs {
        if let Some(output) = output.as_object_mut() {
            output.entry("Export").or_insert_with(|| json!({"Name": format!("sls-{service}-{stage}-{key}")}));
        }
    }
}

/// `mergeCustomProviderResources`: the user's `resources:` merged over the
/// template with `lodash.merge`, then `extensions` applied.
fn merge_custom_resources(template: &mut Value, resources: Option<&Value>) -> Result<(), Diagnostic> {
    let Some(Value::Object(resources)) = resources else { return Ok(()) };
    let mut user = resources.clone();
    let extensions = user.remove("extensions");
    user.entry("Resources").or_insert_with(|| json!({}));
    user.entry("Outputs").or_insert_with(|| json!({}));
    crate::js::merge(template, &Value::Object(user));
    let Some(Value::Object(extensions)) = extensions else { return Ok(()) };
    let Some(resources) = template.get_mut("Resources").and_then(Value::as_object_mut) else { return Ok(()) };
    for (id, extension) in &extensions {
        let path = format!("resources.extensions.{id}");
        let Some(resource) = resources.get_mut(id).and_then(Value::as_object_mut) else {
            let known: Vec<&str> = resources.keys().map(String::as_str).collect();
            return Err(diagnostic::extension_unknown_resource(path, id, &known));
        };
        let Some(extension) = extension.as_object() else { continue };
        for (attribute, value) in extension {
            match attribute.as_str() {
                "Condition" | "CreationPolicy" | "DeletionPolicy" | "UpdatePolicy" | "UpdateReplacePolicy" => {
                    resource.insert(attribute.clone(), value.clone());
                }
                "Properties" | "Metadata" => {
                    let target = resource.entry(attribute.clone()).or_insert_with(|| json!({}));
                    if let (Some(target), Some(value)) = (target.as_object_mut(), value.as_object()) {
                        target.extend(value.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                }
                "DependsOn" => {
                    let depends = resource.entry("DependsOn").or_insert_with(|| json!([]));
                    if let Value::String(one) = depends {
                        *depends = json!([one]);
                    }
                    if let (Some(depends), Some(value)) = (depends.as_array_mut(), value.as_array()) {
                        depends.extend(value.iter().cloned());
                    }
                }
                _ => return Err(diagnostic::extension_unsupported_attribute(format!("{path}.{attribute}"), attribute)),
            }
        }
    }
    Ok(())
}

/// `stripNullPropsFromTemplateResources`: `null` values inside `Properties`
/// are removed, and a resource whose `Properties` is missing or empty-ish
/// (`null`, `false`) loses the key.
fn strip_null_properties(template: &mut Value) {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let Some(resources) = template.get_mut("Resources").and_then(Value::as_object_mut) else { return };
    for resource in resources.values_mut() {
        let Some(resource) = resource.as_object_mut() else { continue };
        match resource.get_mut("Properties") {
            Some(properties) if crate::js::truthy(properties) => strip(properties),
            _ => {
                resource.remove("Properties");
            }
        }
    }
}
