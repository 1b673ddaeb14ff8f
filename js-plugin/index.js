'use strict';

const engine = require('./lib/engine');
const { defineSchemas } = require('./lib/schemas');
const { report } = require('./lib/report');

// Plugins canaria replaces. Loading one of them next to canaria would define
// the same configuration keys twice (the framework's SCHEMA_COLLISION) and
// emit the same resources twice.
const REPLACED_PLUGINS = ['serverless-plugin-canary-deployments', 'serverless-plugin-aws-alerts'];

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

function frameworkMajor(serverless) {
  return Number.parseInt(String(serverless.version || '').split('.')[0], 10) || 0;
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

    // Serverless v4 compiles `alarms` with its own built-in copy of
    // serverless-plugin-aws-alerts, and defines the same keys. canaria then
    // leaves alarms to it and compiles the canary settings only.
    this.compilesAlarms = frameworkMajor(serverless) < 4;
    if (!this.compilesAlarms && this.log) {
      this.log.notice(
        'serverless-canaria: Serverless Framework v4 compiles `alarms` with its built-in alerts plugin; canaria compiles deploymentSettings only.'
      );
    }

    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.run(engine.canaryPass),
    };
    if (this.compilesAlarms) this.hooks['package:compileEvents'] = () => this.run(engine.alertsPass);
    defineSchemas(serverless.configSchemaHandler, { withAlarms: this.compilesAlarms });
  }

  /** The part of the resolved service the core reads. */
  serviceInput() {
    const service = this.serverless.service;
    const functions = {};
    for (const [key, config] of Object.entries(service.functions || {})) {
      functions[key] = pick(config, ['name', 'deploymentSettings', 'alarms']);
    }
    return {
      service: service.service,
      stackName: this.provider.naming.getStackName(),
      stage: this.provider.getStage(),
      region: this.provider.getRegion(),
      custom: pick(service.custom, this.compilesAlarms ? ['deploymentSettings', 'alerts'] : ['deploymentSettings']),
      resources: pick(service.resources, ['Resources', 'Parameters', 'Outputs']),
      functions,
    };
  }

  /**
   * Runs one pass of the core over the compiled template. The plan is
   * merged only when it has no errors; otherwise the template stays as it
   * was and one ServerlessError lists every problem.
   */
  run(pass) {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    let plan;
    try {
      plan = JSON.parse(pass(JSON.stringify(template), JSON.stringify(this.serviceInput())));
    } catch (error) {
      // A template the core cannot read, or a bug in it: the build stops with
      // the reason and no stack trace, and the template stays as it was.
      throw new this.serverless.classes.Error(
        `canaria could not process the compiled template: ${error.message}`,
        'CANARIA_INTERNAL_ERROR'
      );
    }
    report(this.serverless, this.log, plan.diagnostics);
    Object.assign(template.Resources, plan.resources);
    for (const id of plan.removed || []) delete template.Resources[id];
  }
}

module.exports = ServerlessCanaria;
