'use strict';

// A smoke run of the benchmark harness (bench/run.js) at its smallest size:
// both variants package, every measured hook is timed, the JSON floor is
// taken, and the two templates are the same. Times are never asserted.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { measure, table } = require('../bench/run');
const { generate, SIZES } = require('../bench/generate');

test('the generated services have the sizes the benchmark reports', () => {
  assert.deepEqual(SIZES, [10, 30, 100, 300, 1000]);
  const yml = generate(10);
  assert.equal(yml.match(/^ {2}fn-?\d{4}:$/gm).length, 10);
  assert.equal(yml.match(/^ {4}deploymentSettings:$/gm).length, 9);
  assert.match(yml, /dashboards: true/);
});

test('the harness times the plugin hooks of both variants at 10 functions', async () => {
  const [row] = await measure({ sizes: [10], runs: 1 });
  assert.equal(row.identical, true, 'the original plugins and canaria wrote different templates');
  const [original] = row.samples.original;
  const [canaria] = row.samples.canaria;
  assert.deepEqual(Object.keys(original.hooks).sort(), ['AlertsPlugin', 'ServerlessCanaryDeployments']);
  assert.deepEqual(Object.keys(canaria.hooks), ['ServerlessCanaria']);
  assert.deepEqual(Object.keys(canaria.hooks.ServerlessCanaria).sort(), [
    'after:aws:package:finalize:mergeCustomProviderResources',
    'package:compileEvents',
  ]);
  for (const sample of [original, canaria]) {
    assert.ok(sample.hookMs > 0 && sample.wallMs > sample.hookMs);
    assert.ok(sample.floorMs > 0 && sample.templateBytes > 10_000);
    assert.ok(sample.maxRssKb > 0);
  }
  assert.match(table([row]), /^\| 10 \| 1 \| \d+ KB \|/m);
});

test('the engine benchmark runs both engines on the same service', () => {
  const { execFileSync } = require('node:child_process');
  const path = require('node:path');
  const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'bench', 'engines.js'), '--functions', '10', '--runs', '1'], {
    encoding: 'utf8',
  });
  assert.match(out, /generated service: 10 functions/);
  for (const call of ['compile', 'validate', 'loadYaml', 'compile \\+ loadYaml \\(an editor update\\)']) {
    assert.match(out, new RegExp(`^\\| ${call} \\| [\\d.]+ ms \\| [\\d.]+ ms \\| [\\d.]+× \\|$`, 'm'));
  }
});
