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

function defineSchemas(configSchemaHandler) {
  if (!configSchemaHandler) return;
  configSchemaHandler.defineCustomProperties({
    properties: { deploymentSettings },
  });
  configSchemaHandler.defineFunctionProperties('aws', {
    properties: { deploymentSettings },
  });
}

module.exports = { defineSchemas, deploymentSettings };
