'use strict';

const engine = require('./lib/engine');
const { defineSchemas } = require('./lib/schemas');
const { report } = require('./lib/report');

// Plugins canaria replaces. Loading one of them next to canaria would define
// the same configuration keys twice (the framework's SCHEMA_COLLISION) and
// emit the same resources twice.
const REPLACED_PLUGINS = ['serverless-plugin-canary-deployments'];

function pick(object, keys) {
  const picked = {};
  if (!object || typeof object !== 'object') return picked;
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(object, key)) picked[key] = object[key];
  }
  return picked;
}

function listedPlugins(service) {
  const plugins = service.plugins;
  if (Array.isArray(plugins)) return plugins;
  if (plugins && Array.isArray(plugins.modules)) return plugins.modules;
  return [];
}

class ServerlessCanaria {
  constructor(serverless, options, writers = {}) {
    this.serverless = serverless;
    this.options = options;
    this.log = writers.log;
    this.provider = serverless.getProvider('aws');

    const clash = listedPlugins(serverless.service).filter((name) => REPLACED_PLUGINS.includes(name));
    if (clash.length > 0) {
      throw new serverless.classes.Error(
        `serverless-canaria replaces ${clash.join(' and ')}: remove ${clash.length > 1 ? 'them' : 'it'} from "plugins:" and keep only "- serverless-canaria".`,
        'CANARIA_REPLACED_PLUGIN_LISTED'
      );
    }

    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addCanaryDeployments(),
    };
    defineSchemas(serverless.configSchemaHandler);
  }

  /** The part of the resolved service the core reads. */
  serviceInput() {
    const service = this.serverless.service;
    const functions = {};
    for (const [key, config] of Object.entries(service.functions || {})) {
      functions[key] = pick(config, ['deploymentSettings']);
    }
    return {
      stackName: this.provider.naming.getStackName(),
      stage: this.provider.getStage(),
      custom: pick(service.custom, ['deploymentSettings']),
      functions,
    };
  }

  addCanaryDeployments() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const plan = JSON.parse(
      engine.canaryPass(JSON.stringify(template), JSON.stringify(this.serviceInput()))
    );
    report(this.serverless, this.log, plan.diagnostics);
    Object.assign(template.Resources, plan.resources);
  }
}

module.exports = ServerlessCanaria;
