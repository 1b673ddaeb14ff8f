'use strict';

// The WebAssembly build's size against its budget: what a browser downloads
// is the module gzipped. `make wasm` runs this after wasm-opt and says when
// the module is over budget (the build goes on). The budget is a benchmark
// target, not a CI test; the figures are in docs/editor.md.

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
  if (gzip > BUDGET) console.error(`over the size budget by ${kb(gzip - BUDGET)} (docs/editor.md)`);
}

module.exports = { measure, BUDGET };
