'use strict';

// canaria's variable resolution against the real thing: for every service in
// tests/variables/<case>/, `sls print --format json` (serverless 3.40.0,
// offline) and canaria's resolveConfig must give the same configuration, or
// both must fail, canaria with the expected code at the path v3 names.
//
// case.json (optional): {stage, region, params: {k: v}, env: {K: V},
// fails: {code, path, sls}}. `env` reaches sls through the process
// environment, `params` as `--param k=v`; the other files of the case
// directory are handed to canaria as its `files`.
//
// Sources that need AWS (ssm, cf, s3, aws:accountId, JavaScript files) make
// `sls print` fail or hang offline, so they are not here: the Rust tests
// (core/src/variables/tests.rs) cover their placeholders and infos.

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const canaria = require('../bindings-node');
const { SLS_BIN, OFFLINE_ENV } = require('./lib/sls');

const CASES = path.join(__dirname, 'variables');

/** Every file of the case but its serverless.yml and case.json, by relative path. */
function caseFiles(dir, prefix = '') {
  const files = {};
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(files, caseFiles(dir, relative));
    else if (!['serverless.yml', 'case.json'].includes(relative)) {
      files[relative] = fs.readFileSync(path.join(dir, relative), 'utf8');
    }
  }
  return files;
}

function slsPrint(dir, spec) {
  const args = ['print', '--format', 'json'];
  if (spec.stage) args.push('--stage', spec.stage);
  if (spec.region) args.push('--region', spec.region);
  for (const [key, value] of Object.entries(spec.params ?? {})) args.push('--param', `${key}=${value}`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SLS_BIN, ...args],
      { cwd: dir, env: { ...process.env, ...OFFLINE_ENV, ...spec.env }, timeout: 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? error.code ?? 1 : 0, stdout, stderr })
    );
  });
}

/**
 * What the Framework adds to the resolved configuration before `print`
 * shows it, applied to canaria's result so that only resolution is compared
 * (lib/classes/service.js loadServiceFileParam + setFunctionNames,
 * lib/plugins/aws/provider.js:259, compile/functions.js:48):
 * `provider.stage` defaults to `dev`, `provider.region` becomes the region
 * in effect, `provider.versionFunctions` defaults to true, and each function
 * gets `events: []` and `name: <service>-<stage>-<key>` when it has none.
 */
function withFrameworkDefaults(config, spec) {
  const out = structuredClone(config);
  const provider = out.provider;
  if (provider.stage == null) provider.stage = 'dev';
  provider.region = spec.region || provider.region || 'us-east-1';
  if (provider.versionFunctions == null) provider.versionFunctions = true;
  for (const [key, fn] of Object.entries(out.functions ?? {})) {
    if (!fn.events) fn.events = [];
    if (!fn.name) fn.name = `${out.service}-${spec.stage || provider.stage}-${key}`;
  }
  return out;
}

/** The property paths v3 names in its resolution errors. */
function slsErrorPaths(output) {
  return [...output.matchAll(/(?:Cannot resolve variable at|Variable syntax error at) "([^"]+)"/g)].map((m) => m[1]);
}

const cases = fs.readdirSync(CASES).filter((name) => fs.existsSync(path.join(CASES, name, 'serverless.yml')));

test('there are enough variable cases', () => {
  assert.ok(cases.length >= 20, `only ${cases.length} cases`);
});

// Each case waits on its own `sls print` process: run a few at once.
describe('variables against sls print', { concurrency: 3 }, () => {
  for (const name of cases) {
    test(name, async () => {
      const dir = path.join(CASES, name);
      const specFile = path.join(dir, 'case.json');
      const spec = fs.existsSync(specFile) ? JSON.parse(fs.readFileSync(specFile, 'utf8')) : {};
      const options = { stage: spec.stage, region: spec.region, params: spec.params, env: spec.env, files: caseFiles(dir) };
      const text = fs.readFileSync(path.join(dir, 'serverless.yml'), 'utf8');
      const ours = JSON.parse(canaria.resolveConfig(text, JSON.stringify(options)));
      const sls = await slsPrint(dir, spec);
      const errors = ours.diagnostics.filter((d) => d.severity === 'error');

      if (spec.fails) {
        const output = sls.stdout + sls.stderr;
        assert.notEqual(sls.code, 0, `sls print succeeded:\n${sls.stdout}`);
        assert.ok(output.includes(spec.fails.sls), `sls said:\n${output}`);
        assert.deepEqual(
          errors.map((d) => [d.code, d.path]),
          [[spec.fails.code, spec.fails.path]],
          JSON.stringify(ours.diagnostics, null, 2)
        );
        // Where v3 names the property, it is the one canaria names.
        const slsPaths = slsErrorPaths(output);
        // v3 names no property only for sources it does not know.
        if (spec.fails.code !== 'variables/unknown-source') assert.ok(slsPaths.length > 0, output);
        for (const slsPath of slsPaths) assert.equal(slsPath, spec.fails.path, output);
        assert.ok(errors[0].location, 'the error is placed in serverless.yml');
        return;
      }

      assert.equal(sls.code, 0, `sls print failed:\n${sls.stdout}${sls.stderr}`);
      assert.deepEqual(ours.diagnostics, [], 'canaria reports nothing on a service v3 resolves');
      assert.deepEqual(withFrameworkDefaults(ours.config, spec), JSON.parse(sls.stdout));
    });
  }
});
