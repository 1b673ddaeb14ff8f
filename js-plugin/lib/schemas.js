'use strict';

// JSON schemas registered with the framework's configSchemaHandler. They give
// editors and `configValidationMode` real types; the core's validator still
// checks every value itself, with key paths and hints.
//
// The framework's AJV runs in strict mode (no union types, no unknown
// keywords), and `defineCustomProperties`/`defineFunctionProperties` keep only
// `properties` and `required` of what they are given.

// The framework's AJV coerces types (`coerceTypes: 'array'`), and it does so
// in the configuration the plugins then read. A typed schema would turn
// `stages: 'dev,prod'` into `['dev,prod']` (the original matches a string by
// substring), `alias: 2` into `"2"`, `threshold: "5"` into 5 or
// `enabled: "false"` into false, and so change templates the original plugins
// wrote from the same configuration, or hide a mistake from canaria's own
// checks. So every value the originals pass through is named here but left
// untyped (`{}`); the containers are typed, unknown keys are reported, and
// canaria's validator checks the values with key paths and hints. Types are
// given only where coercion cannot change a configuration that worked.
const anything = {};

const deploymentSettingsObject = {
  type: 'object',
  properties: {
    type: anything,
    alias: anything,
    preTrafficHook: anything,
    postTrafficHook: anything,
    alarms: anything,
    triggerConfigurations: anything,
    codeDeployRole: anything,
    codeDeployRolePermissionsBoundary: anything,
    stages: anything,
    // Opt-ins, read from custom.deploymentSettings only (docs/compat.md).
    allFunctions: anything,
    codeDeployRoleLeastPrivilege: anything,
  },
  additionalProperties: false,
};

// `deploymentSettings:` with no value is valid: the function then takes the
// global settings from `custom.deploymentSettings`. `false` opts a function
// out of `allFunctions: true`.
const deploymentSettings = {
  // `false` comes first: the framework's AJV coerces types, and the null
  // branch would turn `false` into `null` (the global settings).
  anyOf: [{ const: false }, deploymentSettingsObject, { type: 'null' }],
};

// Alarms, on the same principle. Lists are typed where the original crashed
// on a scalar, so coercion cannot change a configuration that worked.
const alarmFields = {
  name: { type: 'string' },
  enabled: anything,
  type: anything,
  namespace: anything,
  metric: anything,
  threshold: anything,
  statistic: anything,
  evaluateLowSampleCountPercentile: anything,
  period: anything,
  evaluationPeriods: anything,
  datapointsToAlarm: anything,
  comparisonOperator: anything,
  treatMissingData: anything,
  actionsEnabled: anything,
  description: anything,
  dimensions: { type: 'array', items: { type: 'object' } },
  omitDefaultDimension: anything,
  pattern: anything,
  okActions: { type: 'array', items: { type: 'string' } },
  alarmActions: { type: 'array', items: { type: 'string' } },
  insufficientDataActions: { type: 'array', items: { type: 'string' } },
  nameTemplate: { type: 'string' },
  prefixTemplate: anything,
  // canaria's additions (docs/compat.md): metric math, tags, composites.
  metrics: anything,
  tags: anything,
  alarms: anything,
  operator: anything,
};
const alarmDefinition = { type: 'object', properties: alarmFields, additionalProperties: false };
const inlineAlarm = { ...alarmDefinition, required: ['name'] };
const alarmEntry = { anyOf: [{ type: 'string' }, inlineAlarm] };

// `functions.*.alarms`: the original plugin registered `{type: 'array'}`.
const functionAlarms = { type: 'array', items: alarmEntry };

const alerts = {
  type: 'object',
  properties: {
    stages: anything,
    topics: { type: 'object' },
    definitions: { type: 'object', additionalProperties: alarmDefinition },
    alarms: anything,
    global: anything,
    function: anything,
    nameTemplate: { type: 'string' },
    prefixTemplate: anything,
    dashboards: anything,
    externalStack: anything,
  },
  additionalProperties: false,
};

/**
 * Registers the schemas. `withAlarms: false` leaves `functions.*.alarms` and
 * `custom.alerts` to a framework that defines them itself (Serverless v4).
 */
function defineSchemas(configSchemaHandler, { withAlarms = true } = {}) {
  if (!configSchemaHandler) return;
  configSchemaHandler.defineCustomProperties({
    properties: withAlarms ? { deploymentSettings, alerts } : { deploymentSettings },
  });
  configSchemaHandler.defineFunctionProperties('aws', {
    properties: withAlarms ? { deploymentSettings, alarms: functionAlarms } : { deploymentSettings },
  });
}

module.exports = { defineSchemas, deploymentSettings, alerts, functionAlarms };
