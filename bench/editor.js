'use strict';

// Benchmark (not a test): the editor recompiling and re-rendering the
// generated 100-function service in headless Chromium. Each round changes
// one line (a deployment type), which makes the page run validate + compile
// + loadYaml in the WebAssembly engine and redraw diagnostics, 100 charts,
// the alarm wiring and the preview. The page times both halves itself with
// performance.now() (status data-engine-ms, data-render-ms).
//
//   make bench-editor            (ROUNDS=30 by default)
//
// Target: compile+validate at most 16 ms (one frame).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PARTS = ['diagnostics', 'charts', 'wiring', 'preview'];
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0], max: sorted.at(-1) };
}

async function main() {
  const { chromium } = require(require.resolve('playwright-core', { paths: [path.join(__dirname, '..', 'tests')] }));
  const { editorServer } = await import('../editor/serve.mjs');
  const server = editorServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'canaria-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForSelector('body[data-ready="true"]');
    const updates = () => page.locator('#status').getAttribute('data-updates').then(Number);
    let count = await updates();
    await page.selectOption('#example', 'large');
    await page.waitForFunction((n) => Number(document.getElementById('status').dataset.updates) > n, count);
    const lines = await page.evaluate(() => window.canaria.view.state.doc.lines);
    const engine = [];
    const render = [];
    const parts = Object.fromEntries(PARTS.map((part) => [part, []]));
    const types = ['Linear10PercentEvery1Minute', 'Canary10Percent5Minutes'];
    for (let round = 0; round < ROUNDS; round += 1) {
      count = await updates();
      // Edit worker050's type through CodeMirror, as a keystroke would.
      await page.evaluate((type) => {
        const { view } = window.canaria;
        const text = view.state.doc.toString();
        const at = text.indexOf('  worker050:');
        const from = text.indexOf('type: ', at) + 'type: '.length;
        const to = text.indexOf('\n', from);
        view.dispatch({ changes: { from, to, insert: type } });
      }, types[round % 2]);
      await page.waitForFunction((n) => Number(document.getElementById('status').dataset.updates) > n, count);
      const status = await page.locator('#status').evaluate((el) => ({ ...el.dataset }));
      engine.push(Number(status.engineMs));
      render.push(Number(status.renderMs));
      for (const part of PARTS) parts[part].push(Number(status[`${part}Ms`]));
    }
    const e = stats(engine);
    const r = stats(render);
    const f = (n) => n.toFixed(1);
    console.log(`editor, generated service: 100 functions with canaries, ${lines} lines; ${ROUNDS} edits in ${(await context.browser()?.version()) ?? 'Chromium'}`);
    console.log(`  compile (with validate's checks) + loadYaml (wasm): median ${f(e.median)} ms, p90 ${f(e.p90)} ms, min ${f(e.min)} ms, max ${f(e.max)} ms (target <= 16 ms)`);
    console.log(`  page render (diagnostics, 100 charts, wiring, preview): median ${f(r.median)} ms, p90 ${f(r.p90)} ms`);
    console.log(`    medians: ${PARTS.map((part) => `${part} ${f(stats(parts[part]).median)} ms`).join(', ')}`);
  } finally {
    await context.close();
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
