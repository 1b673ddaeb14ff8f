'use strict';

// Benchmark (not a test): the standalone engine calls on a generated service,
// in Node, through the native addon and through the WebAssembly build, in
// the same process. The editor runs `compile` (which reports everything
// `validate` does) and `loadYaml` per edit; the CLI runs `validate` or
// `compile`. Each call is timed alone, after warm-up, and the medians are
// reported with the wasm/native ratio.
//
//   node bench/engines.js [--functions 100] [--runs 30]
//
// The service is bench/generate.js's, the one the plugin table uses.

const { generate } = require('./generate');

const CALLS = ['compile', 'validate', 'loadYaml'];

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median milliseconds of `fn()` over `runs` calls, after three warm-up calls. */
function time(fn, runs) {
  for (let i = 0; i < 3; i += 1) fn();
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

function main() {
  const functions = option('functions', 100);
  const runs = option('runs', 30);
  const text = generate(functions);
  const options = JSON.stringify({ stage: 'dev', region: 'us-east-1' });
  const engines = { native: require('canaria-node'), wasm: require('canaria-wasm') };
  const calls = {
    compile: (engine) => engine.compile(text, options),
    validate: (engine) => engine.validate(text, options),
    loadYaml: (engine) => engine.loadYaml(text),
  };
  // Both engines must agree before their times mean anything.
  for (const call of CALLS) {
    if (calls[call](engines.native) !== calls[call](engines.wasm)) {
      throw new Error(`${call}: the native and wasm results differ`);
    }
  }
  const results = {};
  for (const [name, engine] of Object.entries(engines)) {
    results[name] = Object.fromEntries(CALLS.map((call) => [call, time(() => calls[call](engine), runs)]));
    results[name]['compile + loadYaml (an editor update)'] = time(() => {
      calls.compile(engine);
      calls.loadYaml(engine);
    }, runs);
  }
  const lines = text.split('\n').length;
  console.log(`engines in Node ${process.version}, generated service: ${functions} functions, ${lines} lines; median of ${runs} calls`);
  console.log('| call | native | wasm | wasm / native |');
  console.log('|---|---:|---:|---:|');
  for (const call of Object.keys(results.native)) {
    const native = results.native[call];
    const wasm = results.wasm[call];
    console.log(`| ${call} | ${native.toFixed(1)} ms | ${wasm.toFixed(1)} ms | ${(wasm / native).toFixed(1)}× |`);
  }
}

main();
