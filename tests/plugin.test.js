'use strict';

// The plugin as the framework runs it: how it reports mistakes and refuses
// to run next to the plugin it replaces.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { WORK, slsPackage } = require('./lib/sls');

function service(name, yml) {
  const dir = path.join(WORK, 'plugin', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'serverless.yml'), yml);
  fs.writeFileSync(path.join(dir, 'handler.js'), 'module.exports.hello = async () => 1;\n');
  return dir;
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

test('every mistake is listed in one ServerlessError, and no template is written', async () => {
  const dir = service(
    'mistakes',
    `service: mistakes
provider: { name: aws, runtime: nodejs18.x }
plugins: [serverless-canaria]
functions:
  hello:
    handler: handler.hello
    deploymentSettings: { type: AllAtOnce }
  bye:
    handler: handler.hello
    deploymentSettings: Live
`
  );
  const run = await slsPackage(dir);
  const output = run.stdout + run.stderr;
  assert.notEqual(run.code, 0);
  assert.match(output, /canaria found 2 problems in the configuration/);
  assert.match(output, /functions\.hello\.deploymentSettings\.alias: deploymentSettings has no alias \[canary\/alias-missing\]/);
  assert.match(output, /functions\.bye\.deploymentSettings: deploymentSettings must be an object, found a string \[canary\/settings-not-object\]/);
  assert.match(output, /help: name the Lambda alias/);
  assert.doesNotMatch(output, STACK_TRACE, 'a ServerlessError prints no stack trace');
  assert.equal(run.template, null, 'the template must not be written');
});

test('listing the replaced plugin next to canaria fails with one clear message', async () => {
  const dir = service(
    'both-plugins',
    `service: both-plugins
provider: { name: aws, runtime: nodejs18.x }
plugins:
  - serverless-plugin-canary-deployments
  - serverless-canaria
functions:
  hello: { handler: handler.hello }
`
  );
  const run = await slsPackage(dir);
  const output = run.stdout + run.stderr;
  assert.notEqual(run.code, 0);
  assert.match(output, /serverless-canaria replaces serverless-plugin-canary-deployments: remove it from "plugins:"/);
  assert.doesNotMatch(output, /SCHEMA_COLLISION|already have a definition/);
  assert.doesNotMatch(output, STACK_TRACE);
});

test('the same holds when canaria is listed first', async () => {
  const dir = service(
    'canaria-first',
    `service: canaria-first
provider: { name: aws, runtime: nodejs18.x }
plugins:
  modules:
    - serverless-canaria
    - serverless-plugin-canary-deployments
functions:
  hello: { handler: handler.hello }
`
  );
  const run = await slsPackage(dir);
  assert.notEqual(run.code, 0);
  assert.match(run.stdout + run.stderr, /remove it from "plugins:"/);
  assert.doesNotMatch(run.stdout + run.stderr, /already have a definition/);
});

test('listing serverless-plugin-aws-alerts next to canaria fails with one clear message', async () => {
  const dir = service(
    'alerts-plugin-listed',
    `service: alerts-plugin-listed
provider: { name: aws, runtime: nodejs18.x }
custom: { alerts: { alarms: [functionErrors] } }
plugins:
  - serverless-plugin-aws-alerts
  - serverless-canaria
functions:
  hello: { handler: handler.hello }
`
  );
  const run = await slsPackage(dir);
  const output = run.stdout + run.stderr;
  assert.notEqual(run.code, 0);
  assert.match(output, /serverless-canaria replaces serverless-plugin-aws-alerts: remove it from "plugins:"/);
  assert.doesNotMatch(output, /SCHEMA_COLLISION|already have a definition/);
  assert.doesNotMatch(output, STACK_TRACE);
});

test('under Serverless v4 canaria leaves alarms to the built-in alerts plugin', () => {
  // v4 needs a licence and the network, so it cannot run here; this drives
  // the constructor with the few members it reads from a v4 instance.
  const ServerlessCanaria = require('serverless-canaria');
  const defined = [];
  const notices = [];
  const serverless = {
    version: '4.4.0',
    service: { plugins: ['serverless-canaria'] },
    getProvider: () => ({}),
    classes: { Error },
    configSchemaHandler: {
      defineCustomProperties: (schema) => defined.push(['custom', Object.keys(schema.properties)]),
      defineFunctionProperties: (provider, schema) => defined.push(['function', Object.keys(schema.properties)]),
    },
  };
  const plugin = new ServerlessCanaria(serverless, {}, { log: { notice: (m) => notices.push(m) } });
  assert.deepEqual(Object.keys(plugin.hooks), ['after:aws:package:finalize:mergeCustomProviderResources']);
  assert.deepEqual(defined, [
    ['custom', ['deploymentSettings']],
    ['function', ['deploymentSettings']],
  ]);
  assert.match(notices.join('\n'), /v4 compiles `alarms` with its built-in alerts plugin/);
});

test('alarm and canary mistakes are reported together, in one run', async () => {
  const dir = service(
    'alarms-and-canary-mistakes',
    `service: alarms-and-canary-mistakes
provider: { name: aws, runtime: nodejs18.x }
plugins: [serverless-canaria]
custom:
  alerts:
    alarms: [functionErors]
functions:
  hello:
    handler: handler.hello
    deploymentSettings: { type: Canary10Percent5Minutes, alias: Live, preTraficHook: preHook }
  preHook: { handler: handler.hello }
`
  );
  const run = await slsPackage(dir);
  const output = run.stdout + run.stderr;
  assert.notEqual(run.code, 0);
  assert.match(output, /canaria found 2 problems in the configuration/);
  assert.match(output, /custom\.alerts\.alarms\[0\]: alarm definition `functionErors` does not exist; did you mean `functionErrors`\? \[alerts\/unknown-definition\]/);
  assert.match(output, /functions\.hello\.deploymentSettings\.preTraficHook: `preTraficHook` is not a known key here; did you mean `preTrafficHook`\? \[canary\/unknown-key\]/);
  assert.doesNotMatch(output, STACK_TRACE);
  assert.equal(run.template, null);
});

test('a template the core cannot read stops the build cleanly, and nothing is written', async () => {
  // 200 levels of Metadata, from a JSON file: the Framework's YAML reader
  // stops at 100 levels, but its JSON reader has no limit, and the core
  // reads a JSON template to 128 levels.
  let deep = 1;
  for (let level = 0; level < 200; level += 1) deep = { a: deep };
  const dir = service(
    'too-deep',
    `service: too-deep
provider: { name: aws, runtime: nodejs18.x }
plugins: [serverless-canaria]
functions:
  hello:
    handler: handler.hello
    deploymentSettings: { type: AllAtOnce, alias: Live }
resources: \${file(./resources.json)}
`
  );
  fs.writeFileSync(
    path.join(dir, 'resources.json'),
    JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Metadata: deep } } })
  );
  const run = await slsPackage(dir);
  const output = run.stdout + run.stderr;
  assert.notEqual(run.code, 0, output);
  assert.match(output, /canaria could not process the compiled template: .*recursion limit exceeded/);
  assert.doesNotMatch(output, STACK_TRACE, 'a ServerlessError prints no stack trace');
  assert.equal(run.template, null, 'the template must not be written');
});

test('the compiled template is either fully updated or untouched', () => {
  // The plugin's hook on a template object, as the Framework holds it.
  const ServerlessCanaria = require('serverless-canaria');
  const makeServerless = (functions) => ({
    version: '3.40.0',
    service: {
      service: 'svc',
      plugins: ['serverless-canaria'],
      functions,
      custom: {},
      provider: {
        compiledCloudFormationTemplate: {
          Resources: {
            HelloLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
            HelloLambdaVersionAbc: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'HelloLambdaFunction' } } },
          },
          Outputs: {},
        },
      },
    },
    getProvider: () => ({ naming: { getStackName: () => 'svc-dev' }, getStage: () => 'dev', getRegion: () => 'us-east-1' }),
    classes: { Error: class ServerlessError extends Error {} },
    configSchemaHandler: { defineCustomProperties() {}, defineFunctionProperties() {} },
  });
  const hook = 'after:aws:package:finalize:mergeCustomProviderResources';
  const quiet = { log: { warning() {}, info() {}, notice() {} } };

  const refused = makeServerless({ hello: { name: 'svc-dev-hello', deploymentSettings: { type: 'AllAtOnce', alias: 'Live', preTrafficHook: 'nope' } } });
  const before = structuredClone(refused.service.provider.compiledCloudFormationTemplate);
  const plugin = new ServerlessCanaria(refused, {}, quiet);
  assert.throws(() => plugin.hooks[hook](), /canary\/unknown-hook/);
  assert.deepEqual(refused.service.provider.compiledCloudFormationTemplate, before);

  const accepted = makeServerless({ hello: { name: 'svc-dev-hello', deploymentSettings: { type: 'AllAtOnce', alias: 'Live' } } });
  new ServerlessCanaria(accepted, {}, quiet).hooks[hook]();
  const { Resources } = accepted.service.provider.compiledCloudFormationTemplate;
  for (const id of ['HelloLambdaFunctionAliasLive', 'HelloLambdaFunctionDeploymentGroup', 'SvcdevDeploymentApplication', 'CodeDeployServiceRole']) {
    assert.ok(Resources[id], `${id} is missing`);
  }
});
