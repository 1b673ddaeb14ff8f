'use strict';

// The plugin benchmark: the real `sls package` (Serverless 3.40.0, offline)
// on generated services, with the two original plugins and with canaria,
// alternating within one run. Reports per size the median time inside the
// plugins' own hooks (bench/hook-timer.js wraps them), the median wall time
// of the whole `sls package`, peak RSS, the JSON floor, and the ratios.
//
//   node bench/run.js [--sizes 10,30,100] [--runs 5 | --runs 5,5,3] [--json file] [--dump dir]
//
// Without --runs, each size gets the repetitions in RUNS (fewer at the large
// sizes, where the original plugin takes about a minute per run). A list
// gives each size its own count.

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { generate, SIZES } = require('./generate');
const { normalise, variants, OFFLINE_ENV, HANDLER } = require('../tests/lib/sls');

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(__dirname, '.work');
const SLS_BIN = require.resolve('serverless/bin/serverless.js', { paths: [REPO] });
const TIMER = path.join(__dirname, 'hook-timer.js');
const RUNS = { 10: 7, 30: 7, 100: 5, 300: 3, 1000: 1 };
const VARIANTS = ['original', 'canaria'];

/** Writes the service of `size` functions for `variant` into a work dir. */
function stageService(size, variant) {
  const dir = path.join(WORK, String(size), variant);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'serverless.yml'), variants[variant](generate(size)));
  fs.writeFileSync(path.join(dir, 'handler.js'), HANDLER);
  return dir;
}

/** One `sls package` with the hook timer; resolves to its measurements. */
function packageOnce(dir, extraEnv = {}) {
  const out = path.join(dir, 'hooks.json');
  fs.rmSync(out, { force: true });
  const env = { ...process.env, ...OFFLINE_ENV, BENCH_HOOK_OUT: out, ...extraEnv };
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--require', TIMER, SLS_BIN, 'package'],
      { cwd: dir, env, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
        if (error) {
          reject(new Error(`sls package failed in ${dir}:\n${stdout}${stderr}`));
          return;
        }
        const measured = JSON.parse(fs.readFileSync(out, 'utf8'));
        const hookMs = Object.values(measured.hooks)
          .flatMap((events) => Object.values(events))
          .reduce((a, b) => a + b, 0);
        resolve({ wallMs, hookMs, ...measured });
      }
    );
  });
}

function templateOf(dir) {
  return fs.readFileSync(path.join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8');
}

// The one place where the generated services meet an intended difference:
// canary functions sharing an SNS topic (docs/compat.md#shared-sns-topic).
const INTENDED = new Set(['AWS::SNS::Topic']);

/**
 * `identical` when the two templates are the same text (clock and code hash
 * normalised), or differ only in resources of the INTENDED types;
 * `differing` lists those resources.
 */
function compare(originalText, canariaText) {
  const [a, b] = [normalise(originalText), normalise(canariaText)];
  if (a === b) return { identical: true, differing: [] };
  const [original, canaria] = [JSON.parse(a), JSON.parse(b)];
  const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);
  const { Resources: ro, ...restOriginal } = original;
  const { Resources: rc, ...restCanaria } = canaria;
  const differing = Object.keys({ ...ro, ...rc }).filter((id) => !same(ro[id], rc[id]));
  const sameShape = same(restOriginal, restCanaria) && same(Object.keys(ro), Object.keys(rc));
  const intended = differing.every((id) => INTENDED.has(ro[id]?.Type) && ro[id]?.Type === rc[id]?.Type);
  return { identical: sameShape && intended, differing };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures every size: the variants alternate (which goes first alternates
 * too), so drift in the machine's load hits both alike.
 */
async function measure({ sizes = SIZES, runs = null, log = () => {} } = {}) {
  const rows = [];
  for (const [at, size] of sizes.entries()) {
    const count = (Array.isArray(runs) ? runs[runs.length === 1 ? 0 : at] : runs) ?? RUNS[size] ?? 3;
    const dirs = Object.fromEntries(VARIANTS.map((v) => [v, stageService(size, v)]));
    const samples = { original: [], canaria: [] };
    for (let i = 0; i < count; i += 1) {
      const order = i % 2 ? [...VARIANTS].reverse() : VARIANTS;
      for (const variant of order) {
        const sample = await packageOnce(dirs[variant]);
        samples[variant].push(sample);
        log(`${size} functions, ${variant} run ${i + 1}/${count}: hooks ${sample.hookMs.toFixed(1)} ms, sls package ${(sample.wallMs / 1000).toFixed(2)} s`);
      }
    }
    // Both variants must have done the same work.
    const { identical, differing } = compare(templateOf(dirs.original), templateOf(dirs.canaria));
    const stat = (variant, key) => median(samples[variant].map((s) => s[key]));
    const canariaHooks = {};
    for (const s of samples.canaria) {
      for (const [event, ms] of Object.entries(s.hooks.ServerlessCanaria ?? {})) (canariaHooks[event] ??= []).push(ms);
    }
    rows.push({
      size,
      runs: count,
      identical,
      differing,
      templateBytes: samples.canaria[0].templateBytes,
      original: { hookMs: stat('original', 'hookMs'), wallMs: stat('original', 'wallMs'), maxRssKb: stat('original', 'maxRssKb') },
      canaria: {
        hookMs: stat('canaria', 'hookMs'),
        wallMs: stat('canaria', 'wallMs'),
        maxRssKb: stat('canaria', 'maxRssKb'),
        hooks: Object.fromEntries(Object.entries(canariaHooks).map(([event, ms]) => [event, median(ms)])),
      },
      floorMs: stat('canaria', 'floorMs'),
      samples,
    });
  }
  return rows;
}

/** Saves canaria's engine inputs for `size` (for the core micro-benchmarks). */
async function dumpInputs(size, dir) {
  const service = stageService(size, 'canaria');
  await packageOnce(service, { BENCH_DUMP_DIR: dir });
  fs.copyFileSync(path.join(service, 'serverless.yml'), path.join(dir, 'serverless.yml'));
}

const ms = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const ratio = (value) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());

/** The results as a Markdown table, with the targets checked below it. */
function table(rows) {
  const lines = [
    '| functions | runs | template | original hooks | canaria hooks | speed-up | JSON floor | canaria / floor | `sls package` original | `sls package` canaria | peak RSS original | peak RSS canaria |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.size} | ${r.runs} | ${Math.round(r.templateBytes / 1024)} KB | ${ms(r.original.hookMs)} ms | ${ms(r.canaria.hookMs)} ms | ` +
        `${ratio(r.original.hookMs / r.canaria.hookMs)}× | ${ms(r.floorMs)} ms | ${(r.canaria.hookMs / r.floorMs).toFixed(2)}× | ` +
        `${(r.original.wallMs / 1000).toFixed(2)} s | ${(r.canaria.wallMs / 1000).toFixed(2)} s | ` +
        `${Math.round(r.original.maxRssKb / 1024)} MB | ${Math.round(r.canaria.maxRssKb / 1024)} MB |`
    );
  }
  lines.push('', 'Targets:');
  for (const r of rows) {
    const multiple = r.canaria.hookMs / r.floorMs;
    lines.push(`- ${r.size} functions: canaria hooks ${multiple.toFixed(2)}× the JSON floor (target ≤ 2×): ${multiple <= 2 ? 'met' : 'MISSED'}`);
  }
  const at300 = rows.find((r) => r.size === 300);
  if (at300) {
    const speedUp = at300.original.hookMs / at300.canaria.hookMs;
    lines.push(`- 300 functions: ${Math.round(speedUp)}× faster than the originals (target ≥ 100×): ${speedUp >= 100 ? 'met' : 'MISSED'}`);
  }
  const perFunction = rows.map((r) => `${r.size}: ${((r.canaria.hookMs * 1000) / r.size).toFixed(0)} µs`);
  lines.push(`- canaria hook time per function (linear growth keeps it flat): ${perFunction.join(', ')}`);
  const differing = rows.filter((r) => !r.identical).map((r) => r.size);
  const shared = rows.filter((r) => r.identical && r.differing.length).map((r) => `${r.differing.length} at ${r.size}`);
  lines.push(
    differing.length
      ? `- TEMPLATES DIFFER between the variants at ${differing.join(', ')} functions`
      : '- the two variants wrote the same templates (clock and code hash normalised) at every size' +
          (shared.length
            ? `, except the SNS topics shared by canary functions (${shared.join(', ')}), where canaria deliberately differs (docs/compat.md#shared-sns-topic)`
            : '')
  );
  return lines.join('\n');
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
}

module.exports = { measure, table, dumpInputs, machine, median, compare };

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const sizes = option('--sizes')?.split(',').map(Number) ?? SIZES;
  const runs = option('--runs')?.split(',').map(Number) ?? null;
  (async () => {
    if (option('--dump')) await dumpInputs(100, path.resolve(option('--dump')));
    const rows = await measure({ sizes, runs, log: (line) => console.error(line) });
    if (option('--json')) {
      fs.writeFileSync(option('--json'), JSON.stringify({ date: new Date().toISOString(), machine: machine(), rows }, null, 2));
    }
    console.log(`\n${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
    console.log(table(rows));
  })().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
