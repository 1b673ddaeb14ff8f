'use strict';

// Differential parity: every service under services/ is packaged by the real
// Serverless Framework twice, once with the original plugins it lists
// (serverless-plugin-canary-deployments 0.8.0, serverless-plugin-aws-alerts
// 1.7.5) and once with `- serverless-canaria` alone in their place. The two
// templates must be identical text after normalising the clock and the code
// hash. Where canaria deliberately differs (a bug of the original fixed), the
// service's compat.json states every differing value on both sides, and
// names the docs/compat.md section that explains it.
//
// compat.json: `doc` (anchor in docs/compat.md), `original.fails` /
// `canaria.fails` (text the failing run prints), `expect` (values canaria
// writes when the original fails), `added` (resources only canaria writes,
// stated whole), `removed` (logical IDs only the original writes),
// `renames`, `differences` (pointer, original value, canaria value),
// `warnings` (codes `validate` reports) and `packageWarnings` (`{code,
// resource}` that only `sls package` can report, printed in its output).

const { describe, test } = require('node:test');
const { execFileSync } = require('node:child_process');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { REPO, stage, slsPackage, normalise, variants } = require('./lib/sls');
const pointer = require('./lib/pointer');

const SERVICES = path.join(__dirname, 'services');
const CFN_LINT = process.env.CFN_LINT || path.join(REPO, 'tests', '.venv', 'bin', 'cfn-lint');
// Findings about the framework's own output, not canaria's: the deprecated
// nodejs18.x runtime, and a DependsOn that a Ref already implies.
const CFN_LINT_IGNORED = ['W2531', 'W3005'];

/** Every template canaria wrote in this run, for cfn-lint. */
const written = [];
const COMPAT_DOC = fs.readFileSync(path.join(REPO, 'docs', 'compat.md'), 'utf8');

function readCompat(dir) {
  const file = path.join(dir, 'compat.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

function assertFailed(run, expected, who) {
  assert.notEqual(run.code, 0, `${who} was expected to fail`);
  const output = run.stdout + run.stderr;
  assert.ok(output.includes(expected), `${who} output lacks "${expected}":\n${output}`);
}

/** A copy of `object` with key `from` renamed to `to`, in the same position. */
function renameKey(object, from, to) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key === from ? to : key, value]));
}

// CANARIA_SERVICES=a,b runs only those services (while developing).
const only = process.env.CANARIA_SERVICES ? process.env.CANARIA_SERVICES.split(',') : null;
const services = fs
  .readdirSync(SERVICES)
  .filter((name) => fs.existsSync(path.join(SERVICES, name, 'serverless.yml')))
  .filter((name) => !only || only.includes(name))
  .sort();

describe('differential parity with the original plugins', { concurrency: 2 }, () => {
  test('the corpus has at least 25 services', { skip: only ? 'CANARIA_SERVICES' : false }, () => {
    assert.ok(services.length >= 25, `only ${services.length} services`);
  });

  for (const name of services) {
    test(name, async () => {
      const dir = path.join(SERVICES, name);
      const compat = readCompat(dir);
      const [original, canaria] = await Promise.all([
        slsPackage(stage(dir, 'original', variants.original)),
        slsPackage(stage(dir, 'canaria', variants.canaria)),
      ]);

      if (compat) {
        assert.ok(COMPAT_DOC.includes(`<a id="${compat.doc}"></a>`), `docs/compat.md has no section "${compat.doc}"`);
      }
      if (compat?.original?.fails) assertFailed(original, compat.original.fails, 'the original plugin');
      if (compat?.canaria?.fails) {
        assertFailed(canaria, compat.canaria.fails, 'canaria');
        assert.doesNotMatch(canaria.stdout + canaria.stderr, /^\s+at .+\(.+:\d+:\d+\)$/m, 'a stack trace was printed');
        return;
      }
      assert.equal(canaria.code, 0, `canaria failed:\n${canaria.stdout}${canaria.stderr}`);
      written.push(canaria.templateFile);
      // Warnings only `sls package` can give (they need the compiled
      // events): exactly the stated ones are printed, each naming its resource.
      const lines = (canaria.stdout + canaria.stderr).split('\n');
      const bypassing = lines.filter((line) => line.includes('[canary/source-bypasses-canary]'));
      const stated = compat?.packageWarnings ?? [];
      assert.equal(bypassing.length, stated.length, `warnings printed:\n${bypassing.join('\n')}`);
      for (const { code, resource } of stated) {
        assert.ok(
          lines.some((line) => line.includes(`[${code}]`) && line.includes(`\`${resource}\``)),
          `no ${code} warning names ${resource}`
        );
      }
      const ours = normalise(canaria.template);

      if (compat?.original?.fails) {
        // Nothing to compare against: check what canaria emits instead.
        const template = JSON.parse(ours);
        for (const { pointer: at, canaria: value } of compat.expect ?? []) {
          assert.deepEqual(pointer.get(template, at), value, `canaria at ${at}`);
        }
        return;
      }
      assert.equal(original.code, 0, `the original failed:\n${original.stdout}${original.stderr}`);
      const theirs = normalise(original.template);
      if (!compat?.differences && !compat?.renames && !compat?.added && !compat?.removed) {
        assert.equal(ours, theirs);
        return;
      }
      // Each stated difference must be exactly there; with it applied to the
      // original's template, the two must be identical text.
      let patched = JSON.parse(theirs);
      const template = JSON.parse(ours);
      // Resources only canaria writes: stated whole, then set aside.
      for (const [id, resource] of Object.entries(compat.added ?? {})) {
        assert.ok(!(id in patched.Resources), `the original also writes ${id}`);
        assert.deepEqual(template.Resources[id], resource, `canaria's ${id}`);
        delete template.Resources[id];
      }
      // Resources only the original writes (canaria replaces them).
      for (const id of compat.removed ?? []) {
        assert.ok(id in patched.Resources, `the original has no resource ${id}`);
        assert.ok(!(id in template.Resources), `canaria still writes ${id}`);
        delete patched.Resources[id];
      }
      for (const { from, to } of compat.renames ?? []) {
        assert.ok(from in patched.Resources, `the original has no resource ${from}`);
        assert.ok(!(from in template.Resources), `canaria still writes ${from}`);
        assert.ok(to in template.Resources, `canaria has no resource ${to}`);
        patched.Resources = renameKey(patched.Resources, from, to);
        patched = JSON.parse(JSON.stringify(patched).split(`"${from}"`).join(`"${to}"`));
      }
      for (const d of compat.differences ?? []) {
        assert.deepEqual(pointer.get(patched, d.pointer), d.original, `original at ${d.pointer}`);
        assert.deepEqual(pointer.get(template, d.pointer), d.canaria, `canaria at ${d.pointer}`);
        assert.notDeepEqual(d.original, d.canaria, `${d.pointer} states no difference`);
        pointer.set(patched, d.pointer, d.canaria);
      }
      assert.equal(JSON.stringify(template, null, 2), JSON.stringify(patched, null, 2));
    });
  }
});

test('cfn-lint finds nothing wrong in any template canaria wrote', () => {
  assert.ok(written.length > 0, 'no template was written');
  let findings = '';
  try {
    execFileSync(CFN_LINT, ['--format', 'parseable', '--ignore-checks', ...CFN_LINT_IGNORED, '--', ...written], {
      encoding: 'utf8',
    });
  } catch (error) {
    findings = error.stdout || String(error);
  }
  assert.equal(findings, '', `cfn-lint over ${written.length} templates`);
});
