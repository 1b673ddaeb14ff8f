//! Diagnostics: every user mistake canaria finds is data, never a panic.
//!
//! Each diagnostic has a stable `code` (API: the plugin, the CLI and the editor
//! branch on it), a severity, a one-sentence message, the key path it concerns
//! and, where one exists, help saying how to fix it. Each kind of mistake has
//! exactly one constructor function, so the wording lives in one place.

use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The template would be wrong or fail to deploy: nothing is written.
    Error,
    /// The template is written, but something is probably not what the user meant.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

/// Where in the source text something is: 1-based line, and 1-based column
/// counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

/// One finding about the user's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable identifier, e.g. `canary/settings-not-object`.
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Dotted key path in serverless.yml, e.g. `functions.hello.deploymentSettings.alias`.
    pub path: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where in serverless.yml, when canaria read it from source text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Whether the finding is about the key at `path` rather than its value.
    #[serde(skip)]
    pub on_key: bool,
}

impl Diagnostic {
    fn new(code: &'static str, severity: Severity, path: String, message: String) -> Self {
        Self { code, severity, message, path, help: None, location: None, on_key: false }
    }

    fn error(code: &'static str, path: String, message: String) -> Self {
        Self::new(code, Severity::Error, path, message)
    }

    fn warning(code: &'static str, path: String, message: String) -> Self {
        Self::new(code, Severity::Warning, path, message)
    }

    fn info(code: &'static str, path: String, message: String) -> Self {
        Self::new(code, Severity::Info, path, message)
    }

    fn about_key(mut self) -> Self {
        self.on_key = true;
        self
    }

    /// The same diagnostic, placed at `location` in the source.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic stops the template from being written.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Name of a JSON value's type, in the words a YAML author knows.
pub fn type_name(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `deploymentSettings` (global or per function) is neither an object nor empty.
pub fn settings_not_object(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "canary/settings-not-object",
        path,
        format!("deploymentSettings must be an object, found {}", type_name(found)),
    )
    .with_help("write the settings as keys, e.g. `deploymentSettings: { type: Canary10Percent5Minutes, alias: Live }`")
}

/// `alarms` is set but is not a list.
pub fn alarms_not_list(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error("canary/alarms-not-list", path, format!("alarms must be a list, found {}", type_name(found)))
        .with_help("write one alarm per item: `alarms: [HelloErrorsAlarm]`")
}

/// A traffic hook is set to something other than a function name.
pub fn hook_not_string(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "canary/hook-not-string",
        path,
        format!("a traffic hook must name a function of this service, found {}", type_name(found)),
    )
    .with_help("give the function's key under `functions:`, e.g. `preTrafficHook: preHook`")
}

/// The alias is missing or not a string/number.
pub fn alias_missing(path: String, found: Option<&serde_json::Value>) -> Diagnostic {
    let message = match found {
        None => "deploymentSettings has no alias".to_owned(),
        Some(value) => format!("alias must be a string, found {}", type_name(value)),
    };
    Diagnostic::error("canary/alias-missing", path, message)
        .with_help("name the Lambda alias that shifts traffic, e.g. `alias: Live`")
}

/// The function has no `AWS::Lambda::Version`, so there is nothing to shift to.
pub fn no_function_version(path: String, function_logical_id: &str) -> Diagnostic {
    Diagnostic::error(
        "canary/no-function-version",
        path,
        format!("the template has no AWS::Lambda::Version for {function_logical_id}, so the alias has no version to point at"),
    )
    .with_help("canary deployments need versioned functions: remove `provider.versionFunctions: false`")
}

/// Appends " (did you mean `x`?)" when there is a close candidate.
fn hint(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
}

/// `custom.alerts` is set to something other than a block of settings; it
/// reads as an empty block, as the original plugin read it.
pub fn alerts_not_object(found: &serde_json::Value) -> Diagnostic {
    Diagnostic::warning(
        "alerts/config-not-object",
        "custom.alerts".into(),
        format!("custom.alerts should be an object, found {}; it is read as an empty block", type_name(found)),
    )
    .with_help("write the alert settings as keys, e.g. `alerts: { topics: { alarm: my-alarms } }`")
}

/// A topic given as a list: the original plugin adds no action for it.
pub fn topic_ignored(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::warning(
        "alerts/topic-ignored",
        path,
        format!(
            "a topic must be a name, an ARN, an intrinsic function or `{{topic, notifications}}`, found {}; no action is added",
            type_name(found)
        ),
    )
    .with_help("give one topic per state; notify several endpoints with `notifications`")
}

/// A key whose value has the wrong shape for canaria to read it at all.
pub fn alerts_wrong_type(path: String, expected: &str, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error("alerts/wrong-type", path, format!("expected {expected}, found {}", type_name(found)))
}

/// `custom.alerts.stages` leaves out the stage being packaged.
pub fn alerts_stage_skipped(stage: &str) -> Diagnostic {
    Diagnostic::info(
        "alerts/stage-skipped",
        "custom.alerts.stages".into(),
        format!("alerts are not deployed on stage {stage}: custom.alerts.stages does not list it"),
    )
}

/// `dashboards.stages` leaves out the stage being packaged.
pub fn dashboards_stage_skipped(stage: &str) -> Diagnostic {
    Diagnostic::info(
        "alerts/dashboards-stage-skipped",
        "custom.alerts.dashboards.stages".into(),
        format!("dashboards are not deployed on stage {stage}: custom.alerts.dashboards.stages does not list it"),
    )
}

/// Function-level alarms exist, but `custom.alerts` does not.
pub fn alarms_without_alerts_block(path: String) -> Diagnostic {
    Diagnostic::info(
        "alerts/no-alerts-block",
        path,
        "custom.alerts is absent: function alarms use the built-in definitions and notify no topic".into(),
    )
    .with_help("add `custom.alerts` to set topics, definitions or name templates")
}

/// An alarm names a definition that neither canaria nor `definitions` has.
pub fn unknown_definition(path: String, name: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        "alerts/unknown-definition",
        path,
        format!("alarm definition `{name}` does not exist{}", hint(suggestion)),
    )
    .with_help("use a built-in definition (functionErrors, functionThrottles, functionInvocations, functionDuration) or add it under `custom.alerts.definitions`")
}

/// An inline alarm object has no `name`.
pub fn alarm_without_name(path: String) -> Diagnostic {
    Diagnostic::error("alerts/alarm-without-name", path, "an inline alarm must have a name".into())
        .with_help("give it one: `- name: highLatency` (it becomes part of the alarm's logical ID)")
}

/// An alarm list entry is neither a definition name nor an alarm object;
/// it is skipped, as the original plugin skipped it.
pub fn alarm_entry_ignored(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::warning(
        "alerts/alarm-entry-ignored",
        path,
        format!("this alarm entry is {} and is ignored", type_name(found)),
    )
    .with_help("name a definition (`- functionErrors`) or write an alarm object (`- name: …`)")
}

/// An alarm's `type` is neither `static` nor `anomalyDetection`.
pub fn unknown_alarm_type(path: String, found: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        "alerts/unknown-alarm-type",
        path,
        format!("alarm type `{found}` is not one of static, anomalyDetection, composite{}", hint(suggestion)),
    )
}

/// `okActions`/`alarmActions`/`insufficientDataActions` names a topic group
/// that `custom.alerts.topics` does not define.
pub fn unknown_topic_group(path: String, group: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        "alerts/unknown-topic-group",
        path,
        format!("topic group `{group}` is not defined under custom.alerts.topics{}", hint(suggestion)),
    )
    .with_help("define it, e.g. `topics: { critical: { alarm: critical-alarms } }`")
}

/// A topic group has no topic for the state an action list asks for.
pub fn topic_state_missing(path: String, group: &str, state: &str) -> Diagnostic {
    Diagnostic::error(
        "alerts/topic-state-missing",
        path,
        format!("topic group `{group}` has no `{state}` topic, so this action would be null"),
    )
    .with_help(format!("add `{state}:` under custom.alerts.topics.{group}, or remove `{group}` from this list"))
}

/// Two different things compile to the same logical ID.
pub fn logical_id_collision(path: String, id: &str, other: &str) -> Diagnostic {
    Diagnostic::error(
        "alerts/logical-id-collision",
        path,
        format!("the logical ID {id} is already used by {other}; one would overwrite the other"),
    )
    .with_help("rename one of them (alarm IDs join the function key and the alarm name; topic IDs join the group and the state)")
}

/// A metric-math alarm's `metrics` that CloudWatch would refuse.
pub fn invalid_metric_math(path: String, why: &str) -> Diagnostic {
    Diagnostic::error("alerts/invalid-metric-math", path, format!("these metrics are not a valid metric-math alarm: {why}"))
        .with_help("each entry is `{ id, metric, … }` or `{ id, expression }`; the last entry (or the one with `returnData: true`) is what the alarm compares")
}

/// A composite alarm names an alarm its function does not have.
pub fn composite_unknown_alarm(path: String, name: &str, function: &str) -> Diagnostic {
    Diagnostic::error(
        "alerts/composite-unknown-alarm",
        path,
        format!("the composite alarm combines `{name}`, which is not an enabled alarm of function `{function}`"),
    )
    .with_help("list the names of alarms the same function has (from `alarms` or `custom.alerts.alarms`)")
}

/// A dashboard template that does not exist.
pub fn unknown_dashboard(path: String, name: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        "alerts/unknown-dashboard",
        path,
        format!("there is no dashboard template `{name}`{}", hint(suggestion)),
    )
    .with_help("use `default` or `vertical`")
}

/// A string alarm of `deploymentSettings.alarms` is not a logical ID in the template.
pub fn unknown_alarm(path: String, alarm: &str, suggestion: Option<&str>, skipped_stage: Option<&str>) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "canary/unknown-alarm",
        path,
        format!("alarm `{alarm}` is not a resource of this stack{}", hint(suggestion)),
    );
    match skipped_stage {
        Some(stage) => Diagnostic {
            message: format!(
                "alarm `{alarm}` is not created on stage {stage}: custom.alerts.stages leaves the stage out{}",
                hint(suggestion)
            ),
            ..diagnostic
        }
        .with_help(format!(
            "custom.alerts.stages leaves out stage {stage}, so no alert alarm exists here; list the stage there, or set deploymentSettings.stages to match"
        )),
        None => diagnostic.with_help(
            "give the alarm's logical ID (function alarms are `<Function><AlarmName>Alarm`), or `{ name: <alarm name> }` for an alarm outside this stack",
        ),
    }
}

/// `custom.alerts.externalStack`, which canaria does not implement.
pub fn external_stack_unsupported() -> Diagnostic {
    Diagnostic::error(
        "alerts/external-stack-unsupported",
        "custom.alerts.externalStack".into(),
        "canaria does not deploy alerts to a separate stack; it would put them in the main stack instead".into(),
    )
    .with_help("remove `externalStack` to keep the alarms in the service's stack")
}

/// Two deployment groups get the same name once cut to 100 characters.
pub fn deployment_group_name_collision(path: String, name: &str, other: &str) -> Diagnostic {
    Diagnostic::error(
        "canary/deployment-group-name-collision",
        path,
        format!("the deployment group name `{name}` (cut to CodeDeploy's 100 characters) is also the name of function `{other}`'s group"),
    )
    .with_help("shorten the service name or `provider.stackName`, or the function keys, so the names differ within 100 characters")
}

/// The text is not well-formed YAML.
pub fn yaml_syntax(detail: &str) -> Diagnostic {
    Diagnostic::error("yaml/syntax", String::new(), format!("serverless.yml is not valid YAML: {detail}"))
}

/// The input is larger than canaria reads.
pub fn yaml_too_large(size: usize, limit: usize) -> Diagnostic {
    Diagnostic::error(
        "yaml/too-large",
        String::new(),
        format!("serverless.yml is {size} bytes; canaria reads at most {limit}"),
    )
}

/// Mappings and sequences nest deeper than the Framework's YAML reader allows.
pub fn yaml_too_deep(limit: usize) -> Diagnostic {
    Diagnostic::error("yaml/too-deep", String::new(), format!("nesting exceeds {limit} levels"))
        .with_help("the Serverless Framework's YAML reader (js-yaml) stops at the same depth")
}

/// Aliases would copy in more nodes than the budget allows (an alias bomb).
pub fn yaml_alias_budget(limit: usize) -> Diagnostic {
    Diagnostic::error(
        "yaml/alias-budget",
        String::new(),
        format!("aliases expand to more than {limit} nodes; this looks like an alias bomb"),
    )
}

/// More than one document in the file.
pub fn yaml_multiple_documents() -> Diagnostic {
    Diagnostic::error("yaml/multiple-documents", String::new(), "serverless.yml must hold a single document".into())
        .with_help("remove the second `---`")
}

/// A key appears twice in one mapping.
pub fn yaml_duplicate_key(key: &str) -> Diagnostic {
    Diagnostic::error("yaml/duplicate-key", String::new(), format!("the key `{key}` appears twice in this mapping"))
}

/// A mapping or sequence used as a key.
pub fn yaml_complex_key() -> Diagnostic {
    Diagnostic::error("yaml/complex-key", String::new(), "a mapping key must be a scalar".into())
}

/// `<<` given something other than mappings.
pub fn yaml_bad_merge() -> Diagnostic {
    Diagnostic::error("yaml/bad-merge", String::new(), "`<<` merges only a mapping or a list of mappings".into())
}

/// A tag neither YAML's core schema nor the Framework's CloudFormation schema knows.
pub fn yaml_unknown_tag(tag: &str) -> Diagnostic {
    Diagnostic::error("yaml/unknown-tag", String::new(), format!("unknown tag {tag}"))
        .with_help("the CloudFormation tags are !Ref, !GetAtt, !Sub, !Join, !If, !Equals, !And, !Or, !Not, !Select, !Split, !FindInMap, !GetAZs, !ImportValue, !Base64, !Cidr and !Condition")
}

/// A core-tagged scalar whose text does not fit the tag.
pub fn yaml_bad_tagged_scalar(tag: &str, text: &str) -> Diagnostic {
    Diagnostic::error("yaml/bad-tagged-scalar", String::new(), format!("`{text}` is not a valid {tag}"))
}

/// Where a value that should be one of `expected` is not, with a typo hint.
fn one_of(expected: &[&str]) -> String {
    match expected {
        [] => String::new(),
        [only] => format!("`{only}`"),
        [init @ .., last] => {
            format!("{} or `{last}`", init.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", "))
        }
    }
}

/// A key that no canaria setting has. An error when it looks like a typo of
/// one that does (the setting the user meant is silently missing), a warning
/// otherwise.
pub fn unknown_key(area: &'static str, path: String, key: &str, known: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(key, known.iter().copied());
    let code = match area {
        "canary" => "canary/unknown-key",
        _ => "alerts/unknown-key",
    };
    let message = format!("`{key}` is not a known key here{}", hint(suggestion));
    let diagnostic = match suggestion {
        Some(_) => Diagnostic::error(code, path, message),
        None => Diagnostic::warning(code, path, message),
    };
    diagnostic.with_help(format!("the keys here are {}", one_of(known))).about_key()
}

/// A value of the wrong type for a canary setting.
pub fn canary_wrong_type(path: String, expected: &str, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error("canary/wrong-type", path, format!("expected {expected}, found {}", type_name(found)))
}

/// `type` is not a deployment configuration CodeDeploy predefines for Lambda.
pub fn unknown_deployment_type(path: String, found: &str, known: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(found, known.iter().copied());
    Diagnostic::error(
        "canary/unknown-deployment-type",
        path,
        format!("`{found}` is not a Lambda deployment type{}", hint(suggestion)),
    )
    .with_help(format!(
        "use one of {}, or a custom shift such as `Canary25Percent20Minutes` or `Linear5PercentEvery3Minutes`",
        one_of(known)
    ))
}

/// A custom deployment type whose numbers CodeDeploy would refuse.
pub fn invalid_deployment_config(path: String, why: &str) -> Diagnostic {
    Diagnostic::error("canary/invalid-deployment-config", path, format!("not a deployment configuration CodeDeploy accepts: {why}"))
        .with_help("a canary or linear step is a whole percentage from 1 to 99 and a whole number of minutes, e.g. `type: Canary25Percent20Minutes` or `type: { linearPercentage: 5, linearInterval: 3 }`")
}

/// A source invokes a canary function in a way that cannot be moved to its alias.
pub fn source_bypasses_canary(path: String, resource: &str, kind: &str, help: &str) -> Diagnostic {
    Diagnostic::warning(
        "canary/source-bypasses-canary",
        path,
        format!("`{resource}` ({kind}) invokes the function directly: the canary deployment does not see this traffic"),
    )
    .with_help(help.to_owned())
}

/// The merged settings have no `type`.
pub fn deployment_type_missing(path: String) -> Diagnostic {
    Diagnostic::error("canary/type-missing", path, "deploymentSettings has no type".into())
        .with_help("say how traffic shifts, e.g. `type: Canary10Percent5Minutes`")
}

/// An alias that cannot be a Lambda alias name or a logical-ID suffix.
pub fn invalid_alias(path: String, alias: &str) -> Diagnostic {
    Diagnostic::error(
        "canary/invalid-alias",
        path,
        format!("alias `{alias}` must be letters and digits, not only digits, at most 128 characters"),
    )
    .with_help("it names the Lambda alias and ends the alias's logical ID, e.g. `alias: Live`")
}

/// A traffic hook that names no function of the service.
pub fn unknown_hook(path: String, hook: &str, functions: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(hook, functions.iter().copied());
    Diagnostic::error(
        "canary/unknown-hook",
        path,
        format!("`{hook}` is not a function of this service{}", hint(suggestion)),
    )
    .with_help("a traffic hook is the key of another function under `functions:`")
}

/// More alarms than CodeDeploy accepts for one deployment group.
pub fn too_many_alarms(path: String, count: usize) -> Diagnostic {
    Diagnostic::error(
        "canary/too-many-alarms",
        path,
        format!("{count} alarms gate this deployment; CodeDeploy allows at most 10 per deployment group"),
    )
    .with_help("combine alarms into a composite alarm, or keep the 10 that matter most")
}

/// An alarm entry that is neither a logical ID nor `{name}`.
pub fn invalid_alarm_reference(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "canary/invalid-alarm-reference",
        path,
        format!("an alarm is a logical ID or `{{name: <alarm name>}}`, found {}", type_name(found)),
    )
}

/// A trigger configuration without the shape CodeDeploy needs.
pub fn invalid_trigger(path: String, problem: &str) -> Diagnostic {
    Diagnostic::error("canary/invalid-trigger", path, format!("this trigger configuration {problem}"))
        .with_help("write `{TriggerName: …, TriggerTargetArn: <SNS topic ARN>, TriggerEvents: [DeploymentFailure, …]}`")
}

/// A trigger event CodeDeploy does not send.
pub fn unknown_trigger_event(path: String, found: &str, known: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(found, known.iter().copied());
    Diagnostic::error(
        "canary/unknown-trigger-event",
        path,
        format!("`{found}` is not a CodeDeploy trigger event{}", hint(suggestion)),
    )
    .with_help(format!("use one of {}", one_of(known)))
}

/// `stages` given as a string, which matches stages by substring.
pub fn stages_string(path: String) -> Diagnostic {
    Diagnostic::warning(
        "canary/stages-string",
        path,
        "stages is a string, so it matches every stage whose name it contains".into(),
    )
    .with_help("list the stages: `stages: [dev, prod]`")
}

/// A setting that only has an effect under `custom.deploymentSettings`.
pub fn global_only_setting(path: String, key: &str) -> Diagnostic {
    Diagnostic::warning(
        "canary/global-only-setting",
        path,
        format!("`{key}` has an effect only under custom.deploymentSettings; here it is ignored"),
    )
    .with_help(format!("move `{key}` to custom.deploymentSettings"))
    .about_key()
}

/// A value outside an enumeration of CloudWatch.
fn not_one_of(code: &'static str, path: String, what: &str, found: &str, known: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(found, known.iter().copied());
    Diagnostic::error(code, path, format!("`{found}` is not a valid {what}{}", hint(suggestion)))
        .with_help(format!("use one of {}", one_of(known)))
}

/// A statistic CloudWatch does not know (neither standard nor percentile).
pub fn unknown_statistic(path: String, found: &str, standard: &[&str]) -> Diagnostic {
    not_one_of("alerts/unknown-statistic", path, "statistic", found, standard)
        .with_help(format!("use one of {}, or a percentile such as `p99`, `tm90` or `TM(10%:90%)`", one_of(standard)))
}

/// A comparison operator CloudWatch does not know.
pub fn unknown_comparison_operator(path: String, found: &str, known: &[&str]) -> Diagnostic {
    not_one_of("alerts/unknown-comparison-operator", path, "comparison operator", found, known)
}

/// A `treatMissingData` CloudWatch does not know.
pub fn unknown_treat_missing_data(path: String, found: &str, known: &[&str]) -> Diagnostic {
    not_one_of("alerts/unknown-treat-missing-data", path, "treatMissingData", found, known)
}

/// A comparison operator of the other kind of alarm.
pub fn comparison_operator_mismatch(path: String, operator: &str, anomaly: bool) -> Diagnostic {
    let message = if anomaly {
        format!("`{operator}` compares against a static threshold, but this is an anomaly-detection alarm")
    } else {
        format!("`{operator}` compares against an anomaly-detection band, but this is a static alarm")
    };
    Diagnostic::error("alerts/comparison-operator-mismatch", path, message).with_help(
        "static alarms use GreaterThan…/LessThan…Threshold; anomaly-detection alarms use LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold or GreaterThanUpperThreshold",
    )
}

/// `datapointsToAlarm` larger than `evaluationPeriods`.
pub fn datapoints_exceed_periods(path: String) -> Diagnostic {
    Diagnostic::error(
        "alerts/datapoints-exceed-periods",
        path,
        "datapointsToAlarm is larger than evaluationPeriods, so the alarm can never fire".into(),
    )
}

/// A period CloudWatch does not accept.
pub fn invalid_period(path: String, found: &str) -> Diagnostic {
    Diagnostic::error(
        "alerts/invalid-period",
        path,
        format!("period {found} is not 10, 20, 30 or a multiple of 60 seconds"),
    )
}

/// An alarm that reaches CloudFormation without a property it requires.
pub fn alarm_field_missing(path: String, field: &str) -> Diagnostic {
    Diagnostic::error(
        "alerts/field-missing",
        path,
        format!("this alarm has no `{field}`, which CloudFormation requires"),
    )
    .with_help("set it on the alarm, or base the alarm on a definition that sets it")
}

/// serverless.yml holds something other than a mapping of settings.
pub fn config_not_object(found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "compile/config-not-object",
        String::new(),
        format!("serverless.yml must be a mapping of settings, found {}", type_name(found)),
    )
    .with_help("start with `service: my-service`, `provider:` and `functions:`")
}

/// `service:` is missing or empty.
pub fn service_name_missing() -> Diagnostic {
    Diagnostic::error("compile/service-missing", "service".into(), "the service has no name".into())
        .with_help("name it at the top of serverless.yml, e.g. `service: my-service`")
}

/// A function whose configuration is not a mapping.
pub fn function_not_object(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "compile/function-not-object",
        path,
        format!("a function must be a mapping of settings, found {}", type_name(found)),
    )
    .with_help("give at least its handler, e.g. `hello: { handler: handler.hello }`")
}

/// A function without a handler (canaria does not build container images).
pub fn handler_missing(path: String) -> Diagnostic {
    Diagnostic::error("compile/handler-missing", path, "this function has no `handler`".into())
        .with_help("name the exported function to run, e.g. `handler: handler.hello`")
}

/// A key the Framework compiles into the template that canaria's standalone
/// compile does not; the preview lacks what it would add.
pub fn unsupported_key(path: String, key: &str) -> Diagnostic {
    Diagnostic::warning(
        "compile/unsupported-key",
        path,
        format!("canaria's standalone compile does not compile `{key}`; the template lacks what it adds"),
    )
    .with_help("`sls package` with the serverless-canaria plugin compiles it; only the preview is incomplete")
    .about_key()
}

/// A plugin the standalone compile does not run.
pub fn plugin_not_run(path: String, plugin: &str) -> Diagnostic {
    Diagnostic::info(
        "compile/plugin-not-run",
        path,
        format!(
            "the standalone compile does not run the plugin `{plugin}`; what it changes in the template is missing"
        ),
    )
    .with_help("`sls package` runs every plugin; the preview shows the Framework's and canaria's resources only")
}

/// An event the Framework knows but canaria's standalone compile does not.
pub fn unsupported_event(path: String, event: &str) -> Diagnostic {
    Diagnostic::warning(
        "compile/unsupported-event",
        path,
        format!("canaria's standalone compile does not compile `{event}` events; the template lacks their resources"),
    )
    .with_help("`sls package` with the serverless-canaria plugin compiles them; only the preview is incomplete")
    .about_key()
}

/// An event type the Framework does not know: it is ignored.
pub fn unknown_event(path: String, event: &str, known: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(event, known.iter().copied());
    Diagnostic::warning(
        "compile/unknown-event",
        path,
        format!("`{event}` is not an event the Serverless Framework knows, so it is ignored{}", hint(suggestion)),
    )
    .with_help("each event is a one-key mapping such as `- http: GET /hello` or `- schedule: rate(5 minutes)`")
    .about_key()
}

/// `fileSystemConfig` without a VPC (`LAMBDA_FILE_SYSTEM_CONFIG_MISSING_VPC`).
pub fn file_system_without_vpc(path: String) -> Diagnostic {
    Diagnostic::error(
        "compile/file-system-without-vpc",
        path,
        "a file system needs the function to run in a VPC".into(),
    )
    .with_help("set `vpc: { securityGroupIds, subnetIds }` on the function or the provider")
}

/// Both `provisionedConcurrency` and `snapStart` on one function.
pub fn snap_start_with_provisioned_concurrency(path: String) -> Diagnostic {
    Diagnostic::error(
        "compile/snap-start-with-provisioned-concurrency",
        path,
        "a function with SnapStart cannot have provisioned concurrency".into(),
    )
    .with_help("remove `provisionedConcurrency` or `snapStart`")
}

/// A destination that names no function of this service.
pub fn unknown_destination_function(path: String, name: &str, functions: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(name, functions.iter().copied());
    Diagnostic::error(
        "compile/unknown-destination",
        path,
        format!("`{name}` is neither an ARN nor a function of this service{}", hint(suggestion)),
    )
    .with_help("give a function key of this service, or an ARN (`arn:aws:sqs:…`, `arn:aws:sns:…`, …)")
}

/// A destination whose kind cannot be told from its ARN or `type`.
pub fn unsupported_destination(path: String, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "compile/unsupported-destination",
        path,
        format!("cannot tell what kind of destination this is ({})", type_name(found)),
    )
    .with_help(
        "use a function, SQS queue, SNS topic or event bus ARN, or `{ type: sqs|sns|function|eventBus, arn: … }`",
    )
}

/// An API Gateway setting the Framework refuses (its `API_GATEWAY_…` or
/// `WEBSOCKETS_…` error), or cannot compile (it would crash on it).
pub fn api_gateway_refused(path: String, framework_code: &str, message: String) -> Diagnostic {
    let help = if framework_code.is_empty() {
        "`sls package` stops on this event too".to_owned()
    } else {
        format!("`sls package` stops here too, with {framework_code}")
    };
    Diagnostic::error("compile/api-gateway-refused", path, message).with_help(help)
}

/// An authorizer that names no function of this service.
pub fn unknown_authorizer_function(path: String, name: &str, functions: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(name, functions.iter().copied());
    Diagnostic::error(
        "compile/unknown-authorizer-function",
        path,
        format!("the authorizer `{name}` is not a function of this service{}", hint(suggestion)),
    )
    .with_help("name a function of this service, or give the authorizer's `arn`")
}

/// `resources.extensions` names a resource the template does not have.
pub fn extension_unknown_resource(path: String, id: &str, known: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(id, known.iter().copied());
    Diagnostic::error(
        "compile/extension-unknown-resource",
        path,
        format!("cannot extend `{id}`: the generated stack has no such resource{}", hint(suggestion)),
    )
    .with_help("extensions change resources the Framework generates; declare new ones under `resources.Resources`")
    .about_key()
}

/// `resources.extensions` sets an attribute the Framework cannot extend.
pub fn extension_unsupported_attribute(path: String, attribute: &str) -> Diagnostic {
    Diagnostic::error(
        "compile/extension-unsupported-attribute",
        path,
        format!("extending the `{attribute}` attribute is not supported"),
    )
    .with_help("extend `Properties`, `Metadata`, `DependsOn`, `Condition` or one of the policies")
    .about_key()
}

/// An event configuration the Framework refuses when it compiles it (one of
/// its `ServerlessError`s, or a value that breaks its JSON template).
pub fn event_invalid(path: String, reason: impl Into<String>) -> Diagnostic {
    Diagnostic::error("compile/event-invalid", path, reason.into())
        .with_help("`sls package` stops on this event too; see the event's page in the Serverless Framework docs")
}

/// An `httpApi` event names an authorizer `provider.httpApi.authorizers`
/// does not define (`UNRECOGNIZED_HTTP_API_AUTHORIZER`).
pub fn unknown_http_api_authorizer(path: String, name: &str, known: &[&str]) -> Diagnostic {
    let suggestion = crate::suggest::did_you_mean(name, known.iter().copied());
    Diagnostic::error(
        "compile/unknown-authorizer",
        path,
        format!("no authorizer `{name}` is defined under `provider.httpApi.authorizers`{}", hint(suggestion)),
    )
    .with_help("define it under `provider.httpApi.authorizers`, or use `authorizer: { type: aws_iam }`")
}

/// An `eventBridge` event the Framework deploys through its legacy custom
/// resource (`provider.eventBridge.useCloudFormation` not `true`).
pub fn event_bridge_custom_resource(path: String) -> Diagnostic {
    Diagnostic::warning(
        "compile/event-bridge-custom-resource",
        path,
        "with `provider.eventBridge.useCloudFormation` off, the Framework deploys this event through a custom \
         resource that canaria's standalone compile does not build; the template lacks its resources"
            .into(),
    )
    .with_help(
        "remove `provider.eventBridge` (native CloudFormation rules are the default), or preview with `sls package`",
    )
    .about_key()
}

/// An event value on which `sls package` itself stops with a TypeError
/// (for example an SQS `arn` given as `{ Ref: … }`, whose queue name the
/// Framework cannot read).
pub fn event_value_unusable(path: String, what: &str) -> Diagnostic {
    Diagnostic::error(
        "compile/event-value-unusable",
        path,
        format!("`sls package` stops with a TypeError on this value: {what}"),
    )
    .with_help(
        "write it in one of the forms the event documents (an ARN string, `Fn::GetAtt`, `Fn::ImportValue`, `Fn::Join`)",
    )
}

/// A new S3 bucket named by an intrinsic (`S3_INVALID_NEW_BUCKET_FORMAT`).
pub fn s3_bucket_intrinsic(path: String) -> Diagnostic {
    Diagnostic::error(
        "compile/s3-bucket-intrinsic",
        path,
        "a bucket the Framework creates must be named by a string, not an intrinsic function".into(),
    )
    .with_help("for a bucket that exists already, add `existing: true`")
}

/// A new S3 bucket whose name S3 refuses (`S3_INVALID_BUCKET_PATTERN`).
pub fn s3_bucket_name_invalid(path: String, name: &str) -> Diagnostic {
    Diagnostic::error("compile/s3-bucket-name-invalid", path, format!("`{name}` is not a valid S3 bucket name"))
        .with_help("bucket names are lower-case letters, digits, `-` and `.`, and start and end with a letter or digit")
}

/// One function on two existing buckets (`S3_MULTIPLE_BUCKETS_PER_FUNCTION`).
pub fn s3_existing_buckets_per_function(path: String, first: &str, second: &str) -> Diagnostic {
    Diagnostic::error(
        "compile/s3-existing-buckets-per-function",
        path,
        format!("a function can be notified by one existing bucket only, here `{first}` and `{second}`"),
    )
    .with_help("split the events over two functions, or create the second bucket with the service")
}

/// An SNS `arn` given by an intrinsic without `topicName` (`SNS_MISSING_TOPIC_NAME`).
pub fn sns_topic_name_missing(path: String) -> Diagnostic {
    Diagnostic::error(
        "compile/sns-topic-name-missing",
        path,
        "an `arn` that is not a plain ARN string needs a `topicName`".into(),
    )
    .with_help("add `topicName:` with the topic's name; the logical IDs are derived from it")
    .about_key()
}

/// `startingPosition: AT_TIMESTAMP` without the timestamp
/// (`FUNCTION_STREAM_STARTING_POSITION_TIMESTAMP_INVALID`).
pub fn stream_timestamp_missing(path: String) -> Diagnostic {
    Diagnostic::error(
        "compile/stream-timestamp-missing",
        path,
        "`startingPosition: AT_TIMESTAMP` needs `startingPositionTimestamp`".into(),
    )
    .with_help("add `startingPositionTimestamp:` (seconds since the epoch)")
}

/// The finished template exceeds a CloudFormation quota.
fn template_quota(code: &'static str, what: &str, count: usize, quota: usize) -> Diagnostic {
    Diagnostic::warning(code, String::new(), format!("the template has {count} {what}; CloudFormation accepts at most {quota}"))
        .with_help("split the service, or move resources into nested stacks (e.g. serverless-plugin-split-stacks), before deploying")
}

/// More resources than one stack may hold.
pub fn too_many_resources(count: usize, quota: usize) -> Diagnostic {
    template_quota("template/too-many-resources", "resources", count, quota)
}

/// More outputs than one stack may hold.
pub fn too_many_outputs(count: usize, quota: usize) -> Diagnostic {
    template_quota("template/too-many-outputs", "outputs", count, quota)
}

/// More parameters than one stack may hold.
pub fn too_many_parameters(count: usize, quota: usize) -> Diagnostic {
    template_quota("template/too-many-parameters", "parameters", count, quota)
}

/// A template body larger than CloudFormation accepts.
pub fn template_too_large(bytes: usize, quota: usize) -> Diagnostic {
    template_quota("template/too-large", "bytes of JSON", bytes, quota)
}

/// A `${…}` that is not well-formed variable syntax.
pub fn variable_syntax(path: String, value: &str, detail: &str) -> Diagnostic {
    Diagnostic::error("variables/syntax", path, format!("variable syntax error in `{value}`: {detail}"))
        .with_help("a variable is `${source:address}`, with fallbacks after commas: `${opt:stage, 'dev'}`; write `\\${` for a literal `${`")
}

/// A fallback that is a bare word: v3 reads only quoted strings, numbers,
/// `true`, `false` and `null` as literals.
pub fn variable_unquoted_literal(path: String, literal: &str) -> Diagnostic {
    Diagnostic::error("variables/unquoted-literal", path, format!("the fallback `{literal}` is not a literal"))
        .with_help(format!("quote it: `'{literal}'`"))
}

/// A variable whose every source gave nothing, with no literal fallback.
pub fn variable_not_found(path: String, variable: &str, detail: &str) -> Diagnostic {
    Diagnostic::error("variables/not-found", path, format!("cannot resolve `{variable}`: {detail}"))
        .with_help("give a fallback after a comma, e.g. `${env:NAME, 'default'}`, or `null` to allow an empty value")
}

/// A variable inside a longer string resolves to an object, list or null.
pub fn variable_not_string(path: String, variable: &str, found: &serde_json::Value) -> Diagnostic {
    Diagnostic::error(
        "variables/non-string-in-string",
        path,
        format!(
            "`{variable}` resolves to {} inside a string; only strings, numbers and booleans join text",
            type_name(found)
        ),
    )
    .with_help("make the variable the whole value to keep an object or list, or point it at a scalar")
}

/// A source type that neither v3 nor any plugin of the service provides.
pub fn variable_unknown_source(path: String, source: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        "variables/unknown-source",
        path,
        format!("`{source}` is not a variable source{}", hint(suggestion)),
    )
    .with_help("the sources are self, opt, sls, env, param, file, strToBool, aws, ssm, cf and s3; plugins can add more")
}

/// A source type v3 does not know, in a service that lists plugins: one of
/// them may provide it.
pub fn variable_plugin_source(path: String, source: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::warning(
        "variables/plugin-source",
        path,
        format!(
            "`{source}` is not a built-in variable source; it is left as written, in case a plugin provides it{}",
            hint(suggestion)
        ),
    )
}

/// A property that, through `self:` references, depends on itself.
pub fn variable_circular(path: String, other: &str) -> Diagnostic {
    let message = if path == other {
        format!("circular reference: `{path}` refers to itself")
    } else {
        format!("circular reference among `{path}` and `{other}`")
    };
    Diagnostic::error("variables/circular", path, message)
}

/// Values that resolve to variables that resolve to variables, too deep.
pub fn variable_too_deep(path: String, limit: usize) -> Diagnostic {
    Diagnostic::error(
        "variables/too-deep",
        path,
        format!("variables nest or refer onward more than {limit} levels deep"),
    )
    .with_help("this is usually a value that resolves to itself through a file or an escaped `\\${…}`")
}

/// Resolution produced more text than canaria allows (a variable bomb).
pub fn variable_too_large(path: String, limit: usize) -> Diagnostic {
    Diagnostic::error(
        "variables/too-large",
        path,
        format!(
            "resolving variables produces more than {limit} bytes of configuration; this looks like a variable bomb"
        ),
    )
}

/// A source refused its arguments (v3 raises the same error).
pub fn variable_source_error(path: String, variable: &str, detail: &str) -> Diagnostic {
    Diagnostic::error("variables/source-error", path, format!("cannot resolve `{variable}`: {detail}"))
}

/// `${file(…)}` of a YAML or JSON file that does not parse.
pub fn variable_file_parse(path: String, file: &str, detail: &str) -> Diagnostic {
    Diagnostic::error("variables/file-parse", path, format!("cannot parse {file}: {detail}"))
}

/// A variable only the deploy machine can resolve (AWS calls, JavaScript
/// files, plugin and Dashboard sources): kept as written.
pub fn variable_unresolved_offline(path: String, variable: &str, why: &str) -> Diagnostic {
    Diagnostic::info("variables/unresolved-offline", path, format!("`{variable}` is left as written: {why}"))
}

/// `${sls:instanceId}`, which v3 sets from the clock, became a fixed placeholder.
pub fn variable_instance_id(path: String, placeholder: &str) -> Diagnostic {
    Diagnostic::info(
        "variables/instance-id",
        path,
        format!("`${{sls:instanceId}}` is the time of each run; it reads `{placeholder}` here"),
    )
}
