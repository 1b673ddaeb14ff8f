'use strict';

// Validation. Two corpora:
// - tests/services (valid services): each validates with no error and no
//   warning, except those its compat.json states (`canaria.fails`,
//   `warnings`).
// - tests/invalid: each service's expected.json lists every diagnostic
//   canaria reports for it (code, severity, key path, line and column of
//   the YAML). Then the real `sls package` with serverless-canaria must fail
//   with a ServerlessError naming each error's code and print no stack
//   trace, or, with warnings only, succeed and print each warning.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { validate } = require('./lib/engine').engine;
const { stage, slsPackage } = require('./lib/sls');

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

function services(dir) {
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'serverless.yml')))
    .sort()
    .map((name) => ({ name, dir: path.join(dir, name), text: fs.readFileSync(path.join(dir, name, 'serverless.yml'), 'utf8') }));
}

function readJson(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

function diagnostics(text) {
  return JSON.parse(validate(text, '{}')).diagnostics;
}

test('every valid service validates clean, but for what its compat.json states', () => {
  for (const { name, dir, text } of services(path.join(__dirname, 'services'))) {
    const compat = readJson(path.join(dir, 'compat.json')) ?? {};
    const found = diagnostics(text);
    const errors = found.filter((d) => d.severity === 'error').map((d) => d.code);
    const warnings = found.filter((d) => d.severity === 'warning').map((d) => d.code);
    const refused = compat.canaria?.fails;
    if (refused) assert.ok(errors.includes(refused), `${name}: expected ${refused}, got ${errors.join(', ')}`);
    else assert.deepEqual(errors, [], name);
    assert.deepEqual(warnings, compat.warnings ?? [], name);
  }
});

const invalid = services(path.join(__dirname, 'invalid'));

describe('invalid services', { concurrency: 2 }, () => {
  test('the corpus has at least 40 services', () => {
    assert.ok(invalid.length >= 40, `only ${invalid.length}`);
  });

  for (const { name, dir, text } of invalid) {
    test(name, async () => {
      const expected = readJson(path.join(dir, 'expected.json'));
      assert.ok(expected, `${name} has no expected.json`);
      const found = diagnostics(text).map((d) => ({
        code: d.code,
        severity: d.severity,
        path: d.path,
        line: d.location?.line,
        column: d.location?.column,
      }));
      assert.deepEqual(found, expected.diagnostics);
      for (const d of found) {
        assert.ok(d.line >= 1 && d.column >= 1, `${name}: ${d.code} has no location`);
      }

      const run = await slsPackage(stage(dir, 'invalid'));
      const output = run.stdout + run.stderr;
      const errors = found.filter((d) => d.severity === 'error');
      if (errors.length === 0) {
        assert.equal(run.code, 0, output);
        for (const d of found.filter((f) => f.severity === 'warning')) assert.ok(output.includes(d.code), `${name}: ${d.code} not printed`);
        return;
      }
      assert.notEqual(run.code, 0, `sls package accepted ${name}`);
      assert.doesNotMatch(output, STACK_TRACE, `${name}: a stack trace was printed`);
      // YAML the Framework cannot read fails before any plugin runs.
      if (errors.some((d) => d.code.startsWith('yaml/'))) return;
      assert.match(output, /canaria found \d+ problems? in the configuration/, output);
      for (const d of errors) assert.ok(output.includes(`[${d.code}]`), `${name}: ${d.code} not reported:\n${output}`);
    });
  }
});
