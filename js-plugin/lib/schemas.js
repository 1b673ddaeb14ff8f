'use strict';

// JSON schemas registered with the framework's configSchemaHandler. They give
// editors and `configValidationMode` real types; the core's validator still
// checks every value itself, with key paths and hints.
//
// The framework's AJV runs in strict mode (no union types, no unknown
// keywords), and `defineCustomProperties`/`defineFunctionProperties` keep only
// `properties` and `required` of what they are given.

const logicalIdOrIntrinsic = {
  anyOf: [{ type: 'string' }, { type: 'object' }],
};

const deploymentSettingsObject = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    alias: { type: 'string' },
    preTrafficHook: { type: 'string' },
    postTrafficHook: { type: 'string' },
    alarms: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'string' },
          { type: 'object', properties: { name: logicalIdOrIntrinsic }, required: ['name'] },
        ],
      },
    },
    triggerConfigurations: { type: 'array', items: { type: 'object' } },
    codeDeployRole: logicalIdOrIntrinsic,
    codeDeployRolePermissionsBoundary: logicalIdOrIntrinsic,
    stages: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

// `deploymentSettings:` with no value is valid: the function then takes the
// global settings from `custom.deploymentSettings`.
const deploymentSettings = {
  anyOf: [deploymentSettingsObject, { type: 'null' }],
};

// Alarms. The framework's AJV coerces types (`coerceTypes: 'array'`), and it
// does so in the configuration the plugins then read. A typed schema would
// turn `threshold: "5"` into 5, `enabled: "false"` into false, or
// `stages: production` into a list, and so change templates that the original
// plugin wrote from the same configuration. So values that the original passes
// through unchanged are only named here, untyped; canaria's validator checks
// them. Types are given where coercion cannot change a working configuration:
// objects (never coerced), and lists where the original crashed on a scalar.
const anything = {};
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
