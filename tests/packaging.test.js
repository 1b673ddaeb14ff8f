'use strict';

// Packaging, as a user installs it: `npm pack` the plugin and its native
// addon, install both tarballs with serverless@3.40.0 into a fresh project
// outside this repository, and run `sls package` there. Catches files missing
// from a package and a loader that only works inside the repo.

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO, slsPackage } = require('./lib/sls');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'canaria-packaging-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function npm(args, cwd) {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

function pack(dir) {
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], path.join(REPO, dir)));
  return { file: path.join(scratch, info.filename), files: info.files.map((f) => f.path).sort() };
}

const SERVICE = `service: packaged-canary
frameworkVersion: '3'
provider: { name: aws, runtime: nodejs18.x }
plugins:
  - serverless-canaria
functions:
  hello:
    handler: handler.hello
    events: [ { http: GET /hello } ]
    alarms: [functionErrors]
    deploymentSettings: { type: Linear10PercentEvery1Minute, alias: Live, preTrafficHook: preHook, alarms: [HelloFunctionErrorsAlarm] }
  preHook: { handler: handler.pre }
`;

test('the packed plugin and addon work in a fresh project', { timeout: 600_000 }, async () => {
  const addon = pack('bindings-node');
  assert.deepEqual(addon.files, ['canaria.linux-x64-gnu.node', 'index.d.ts', 'index.js', 'package.json']);
  const plugin = pack('js-plugin');
  assert.ok(plugin.files.includes('index.js'), plugin.files.join(', '));
  assert.ok(plugin.files.includes('bin/serverless-canaria.js'), plugin.files.join(', '));
  assert.ok(plugin.files.every((f) => !f.includes('test')), `tests shipped: ${plugin.files.join(', ')}`);

  const project = path.join(scratch, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'packaged-canary', private: true }));
  fs.writeFileSync(path.join(project, 'serverless.yml'), SERVICE);
  fs.writeFileSync(path.join(project, 'handler.js'), 'module.exports.hello = async () => ({ statusCode: 200 });\n');
  npm(['install', '--prefer-offline', 'serverless@3.40.0', addon.file, plugin.file], project);

  const run = await slsPackage(project, { bin: path.join(project, 'node_modules/serverless/bin/serverless.js') });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const { Resources } = JSON.parse(run.template);
  assert.equal(Resources.HelloLambdaFunctionAliasLive.Type, 'AWS::Lambda::Alias');
  assert.deepEqual(Resources.HelloLambdaFunctionAliasLive.UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook, {
    Ref: 'PreHookLambdaFunction',
  });
  assert.equal(Resources.HelloFunctionErrorsAlarm.Type, 'AWS::CloudWatch::Alarm');
  assert.deepEqual(Resources.HelloLambdaFunctionDeploymentGroup.Properties.AlarmConfiguration.Alarms, [
    { Name: { Ref: 'HelloFunctionErrorsAlarm' } },
  ]);
  assert.deepEqual(Resources.HelloLambdaPermissionApiGateway.Properties.FunctionName, {
    Ref: 'HelloLambdaFunctionAliasLive',
  });

  // The command the package installs, as a CI pipeline runs it.
  const bin = path.join(project, 'node_modules', '.bin', 'serverless-canaria');
  const validated = execFileSync(bin, ['validate'], { cwd: project, encoding: 'utf8' });
  assert.match(validated, /^serverless\.yml: 0 errors, 0 warnings$/m);
  const compiled = JSON.parse(execFileSync(bin, ['compile', 'serverless.yml'], { cwd: project, encoding: 'utf8' }));
  assert.equal(compiled.Resources.HelloLambdaFunctionAliasLive.Type, 'AWS::Lambda::Alias');
});
