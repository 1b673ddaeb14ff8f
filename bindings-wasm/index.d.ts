/* canaria-wasm: the same API as canaria-node (bindings-node/index.d.ts). */

/**
 * Runs the alerts pass (serverless-plugin-aws-alerts' `package:compileEvents`
 * step). Same input and output shapes as `canaryPass`.
 */
export declare function alertsPass(template: string, service: string): string

/**
 * Runs the canary pass. Takes the compiled template and the service as JSON
 * text; returns `{"resources": {…}, "diagnostics": […]}` as JSON text.
 */
export declare function canaryPass(template: string, service: string): string

/**
 * Compiles serverless.yml text into the CloudFormation template
 * `sls package` writes, without the Framework. `options` is JSON text
 * (`{"stage", "region", "params", "env", "files"}`); returns
 * `{"template", "diagnostics", "resources": {"added", "rewired"}}` as JSON text.
 */
export declare function compile(text: string, options: string): string

/**
 * A predefined deployment type in words, e.g. `Canary10Percent5Minutes` →
 * "10% of traffic for 5 minutes, then the rest"; `null` for other names.
 */
export declare function describeDeploymentType(typeName: string): string | null

/**
 * Reads serverless.yml text as the Serverless Framework reads it (js-yaml 4
 * with the CloudFormation tags). Returns `{"value", "diagnostics"}` as JSON text.
 */
export declare function loadYaml(text: string): string

/**
 * Reads serverless.yml text and resolves its variables as serverless v3
 * would, offline. `options` is JSON text (`{"stage", "region", "params",
 * "env", "files"}`, all optional); returns `{"config", "diagnostics"}` as
 * JSON text.
 */
export declare function resolveConfig(text: string, options: string): string

/** Writes JSON text as block-style YAML that reads back as the same value. */
export declare function toYaml(json: string): string

/**
 * The schedule of a predefined deployment type as JSON text:
 * `{"type", "description", "totalMinutes", "steps": [{"minute", "percent"}…]}`,
 * or `null` for other names.
 */
export declare function trafficShift(typeName: string): string

/**
 * Validates serverless.yml text without the Framework. `options` is JSON
 * text (`{"stage", "region"}`); returns `{"diagnostics": […]}` as JSON text,
 * each diagnostic with its line and column.
 */
export declare function validate(text: string, options: string): string

/** The version of the core this build was made from. */
export declare function version(): string
