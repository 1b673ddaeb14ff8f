'use strict';

// A panic in the core never crosses N-API: the test build of the addon
// (`make test-addon`, with the `test-panic` feature) panics on request, and
// JavaScript must get an Error, print nothing, and keep working.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ADDON = path.resolve(__dirname, '..', 'target', 'test-panic', 'addon', 'canaria.linux-x64-gnu.node');

test('the test build of the addon exists', () => {
  assert.ok(fs.existsSync(ADDON), `${ADDON} is missing: run make test-addon`);
});

test('a panic reaches JavaScript as an Error, and the next call works', () => {
  const addon = require(ADDON);
  assert.throws(() => addon.panicForTest('boom inside the core'), (error) => {
    assert.ok(error instanceof Error);
    assert.match(error.message, /boom inside the core/);
    return true;
  });
  const { diagnostics } = JSON.parse(addon.validate('service: svc\nprovider:\n  name: aws\n', '{}'));
  assert.deepEqual(diagnostics, []);
  assert.throws(() => addon.panicForTest('again'), /again/);
  assert.equal(typeof addon.version(), 'string');
});

test('the process lives on and prints no backtrace', () => {
  const script = `
    const addon = require(${JSON.stringify(ADDON)});
    try { addon.panicForTest('quiet please'); } catch (error) { console.log('caught: ' + error.message); }
    console.log(JSON.parse(addon.validate('service: svc\\n', '{}')).diagnostics.length);
  `;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, RUST_BACKTRACE: '1' } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.match(run.stdout, /^caught: .*quiet please/m);
  assert.match(run.stdout, /^0$/m);
});

test('the shipped addon has no way to panic on request', () => {
  assert.equal(require('canaria-node').panicForTest, undefined);
});
