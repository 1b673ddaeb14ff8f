'use strict';

// The WebAssembly build's size against its budget: what a browser downloads
// is the module gzipped. `make wasm` runs this after wasm-opt; the figure is
// recorded in docs/editor.md, and tests/engine.test.js checks the budget.

const fs = require('node:fs');
const zlib = require('node:zlib');

// 300 KB, in bytes.
const BUDGET = 300_000;

function measure(file) {
  const raw = fs.readFileSync(file);
  const gzip = zlib.gzipSync(raw, { level: 9 }).length;
  return { raw: raw.length, gzip, budget: BUDGET };
}

if (require.main === module) {
  const file = process.argv[2];
  const { raw, gzip } = measure(file);
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  console.log(`${file}: ${kb(raw)}, ${kb(gzip)} gzipped (budget ${kb(BUDGET)})`);
  if (gzip > BUDGET) {
    console.error('over the size budget');
    process.exit(1);
  }
}

module.exports = { measure, BUDGET };
