'use strict';

// The browser editor, end to end, in real headless Chromium (Debian's
// `chromium`, driven by playwright-core): the page as `make build` leaves it
// in editor/dist, served on 127.0.0.1. Every test records each request the
// page makes, each dialog, each page error and each CSP violation; none may
// happen but the page's own three files. Screenshots go to
// tests/.work/screenshots.

const { after, afterEach, before, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const DIST = path.join(REPO, 'editor', 'dist');
const SHOTS = path.join(REPO, 'tests', '.work', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
// What the page may load: itself, its script and its stylesheet.
const PAGE_FILES = ['/', '/editor.js', '/editor.css'];
const XSS = '<img src=x onerror=alert(1)>';

let server;
let origin;
let context;
let userDataDir;
let page;
let seen;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'editor.js')), 'editor/dist is not built: run `make build`');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const { editorServer } = await import('../editor/serve.mjs');
  server = editorServer(DIST);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'canaria-chromium-'));
  const { chromium } = require('playwright-core');
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
  // Anything not from the page's own server is refused, and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    seen?.foreign.push(url);
    return route.abort();
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await context?.close();
  server?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

/** Opens the editor (optionally at a hash) and waits for the first update. */
async function open(hash = '') {
  seen = { requests: [], foreign: [], dialogs: [], errors: [], violations: [] };
  page = await context.newPage();
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations = [...(window.__violations ?? []), `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample}`];
    });
  });
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  await updated(0);
  return page;
}

/** Waits until the page has run at least `count` + 1 updates. */
async function updated(count) {
  await page.waitForFunction((n) => Number(document.getElementById('status').dataset.updates ?? 0) > n, count);
  return Number(await page.locator('#status').getAttribute('data-updates'));
}

/** Replaces the editor's text as typing would (input events into CodeMirror) and waits for the update. */
async function typeService(text) {
  const before = Number(await page.locator('#status').getAttribute('data-updates'));
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await updated(before);
}

async function diagnostics() {
  return page.$$eval('#diagnostics li', (items) =>
    items.map((li) => ({ code: li.dataset.code, line: Number(li.dataset.line), text: li.textContent })),
  );
}

afterEach(async (t) => {
  if (!page) return;
  const name = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  // caret: 'initial': hiding the caret would inject a <style>, which the page's CSP refuses.
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, caret: 'initial' });
  seen.violations = await page.evaluate(() => window.__violations ?? []);
  await page.close();
  page = null;
  // What no test may cause: a request off the page's origin, a dialog, an error, a CSP violation.
  assert.deepEqual(seen.foreign, [], 'requests left the page');
  assert.deepEqual(seen.dialogs, [], 'a dialog opened');
  assert.deepEqual(seen.errors.filter((e) => !seen.expected?.test(e)), [], 'the page reported errors');
  assert.deepEqual(seen.violations, [], 'the CSP was violated');
});

const MISTAKE = `service: greeter
frameworkVersion: '3'

provider:
  name: aws
  runtime: nodejs18.x

plugins:
  - serverless-canaria

functions:
  hello:
    handler: handler.hello
    deploymentSettings:
      type: Canary10Percent5Minutes
      alias: Live
      preTraficHook: preHook
  preHook:
    handler: hooks.pre
`;

test('a mistake is reported at its line, and once fixed the preview holds the alias and deployment group', async () => {
  await open();
  await typeService(MISTAKE);
  const found = await diagnostics();
  const typo = found.find((d) => d.code === 'canary/unknown-key');
  assert.ok(typo, JSON.stringify(found));
  assert.equal(typo.line, 17, 'preTraficHook is on line 17');
  assert.match(typo.text, /did you mean `preTrafficHook`/);
  // The same line is marked in the editor's gutter.
  const marked = await page.$$eval('.cm-gutter-lint .cm-gutterElement', (els) =>
    els.filter((el) => el.querySelector('.cm-lint-marker-error')).map((el) => el.getBoundingClientRect().top),
  );
  const line17 = await page.$$eval('.cm-lineNumbers .cm-gutterElement', (els) =>
    els.find((el) => el.textContent === '17')?.getBoundingClientRect().top,
  );
  assert.ok(marked.some((top) => Math.abs(top - line17) < 2), `gutter marks at ${marked}, line 17 at ${line17}`);
  assert.equal(await page.locator('#preview .resource').count(), 0, 'no template while the service has an error');

  // Clicking the diagnostic puts the cursor on the key; the fix is typed there.
  let count = Number(await page.locator('#status').getAttribute('data-updates'));
  await page.locator('#diagnostics li[data-code="canary/unknown-key"]').click();
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('preTrafficHook: preHook');
  count = await updated(count);
  assert.deepEqual((await diagnostics()).filter((d) => d.text.includes('error')).map((d) => d.code), []);
  const preview = await page.locator('#preview').textContent();
  for (const id of ['HelloLambdaFunctionAliasLive', 'HelloLambdaFunctionDeploymentGroup', 'CodeDeployServiceRole']) {
    assert.ok(preview.includes(id), `${id} is not in the preview`);
  }
  assert.equal(await page.locator('#preview .resource.added[data-logical-id="HelloLambdaFunctionAliasLive"] .badge').textContent(), 'added');
  assert.ok(preview.includes('"BeforeAllowTrafficHook"'), 'the alias carries the hook');

  // The YAML view and the filter.
  await page.locator('input[name="format"][value="yaml"]').check();
  await page.locator('#filter').fill('DeploymentGroup');
  const ids = await page.$$eval('#preview .resource', (els) => els.map((el) => el.dataset.logicalId));
  assert.deepEqual(ids, ['HelloLambdaFunctionDeploymentGroup']);
  assert.match(await page.locator('#preview .resource pre').textContent(), /DeploymentConfigName:\n\s+Fn::Sub:/);
});

test('a Linear10PercentEvery1Minute function gets its traffic-shift chart', async () => {
  await open();
  await typeService(`service: linear
provider: { name: aws, runtime: nodejs18.x }
plugins: [serverless-canaria]
functions:
  api:
    handler: api.handler
    alarms: [functionErrors]
    deploymentSettings:
      type: Linear10PercentEvery1Minute
      alias: Live
      preTrafficHook: check
      postTrafficHook: check
      alarms: [ApiFunctionErrorsAlarm]
  check: { handler: check.handler }
`);
  const figure = page.locator('#charts figure[data-type="Linear10PercentEvery1Minute"]');
  assert.equal(await figure.count(), 1);
  assert.equal(await figure.getAttribute('data-function'), 'api');
  // Ten shifts of 10%, one a minute from minute 0 to minute 9.
  assert.equal(await figure.locator('circle.step').count(), 10);
  const steps = await figure.locator('circle.step title').allTextContents();
  assert.equal(steps[0], 'minute 0: 10% on the new version');
  assert.equal(steps[9], 'minute 9: 100% on the new version');
  // The alarms are checked before each shift after the first; both hooks are marked.
  assert.equal(await figure.locator('path.checkpoint').count(), 9);
  assert.match(await figure.locator('path.checkpoint title').first().textContent(), /ApiFunctionErrorsAlarm/);
  assert.equal(await figure.locator('g.hook.pre text').textContent(), 'pre: check');
  assert.equal(await figure.locator('g.hook.post text').textContent(), 'post: check');
  const d = await figure.locator('path.shift').getAttribute('d');
  assert.equal((d.match(/ V /g) ?? []).length, 10, d);
  const box = await figure.locator('svg').boundingBox();
  assert.ok(box.width > 200 && box.height > 80, JSON.stringify(box));
  assert.match(await figure.locator('figcaption').textContent(), /10% more traffic every 1 minute, all of it after 9 minutes/);
  // The alarm wiring names the alarm that gates the deployment and the topics it notifies.
  const wiring = await page.locator('#wiring .group[data-function="api"]').textContent();
  assert.match(wiring, /ApiFunctionErrorsAlarm/);
});

test('names holding markup are shown as text and nothing runs', async () => {
  await open();
  await typeService(`service: xss
provider: { name: aws, runtime: nodejs18.x }
plugins: [serverless-canaria]
custom:
  alerts:
    topics:
      alarm: "${XSS}"
functions:
  "${XSS}":
    handler: h.h
    description: "${XSS}"
    deploymentSettings:
      type: "${XSS}"
      alias: "${XSS}"
      preTrafficHook: "${XSS}"
      alarms: ["${XSS}"]
  hello:
    handler: h.h
    alarms:
      - name: "${XSS}"
        metric: Errors
        threshold: 1
        statistic: Sum
        period: 60
        evaluationPeriods: 1
        comparisonOperator: GreaterThanOrEqualToThreshold
    deploymentSettings:
      type: Linear10PercentEvery1Minute
      alias: Live
      alarms: ["${XSS}"]
`);
  // Give an injected image every chance to load and fire.
  await page.waitForTimeout(300);
  assert.equal(await page.locator('img').count(), 0, 'an <img> element was created');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[onerror]').length), 0);
  const shown = await page.locator('#results').textContent();
  assert.ok(shown.includes(XSS), 'the markup is shown as text');
  const found = await diagnostics();
  assert.ok(found.some((d) => d.text.includes(XSS)), JSON.stringify(found));

  // The same markup through a service that compiles: into the chart, the
  // alarm wiring and the preview.
  await typeService(`service: xss
provider: { name: aws, runtime: nodejs18.x }
plugins: [serverless-canaria]
custom:
  alerts:
    topics:
      alarm: "${XSS}"
functions:
  "${XSS}":
    handler: h.h
    description: "${XSS}"
    alarms:
      - name: errs
        description: "${XSS}"
        namespace: AWS/Lambda
        metric: Errors
        threshold: 1
        statistic: Sum
        period: 60
        evaluationPeriods: 1
        comparisonOperator: GreaterThanOrEqualToThreshold
    deploymentSettings:
      type: Linear10PercentEvery1Minute
      alias: Live
      alarms: ["${XSS}ErrsAlarm"]
`);
  await page.locator(`#preview details[data-logical-id="${XSS}LambdaFunction"] summary`).click();
  assert.equal(await page.locator('#charts figure').getAttribute('data-function'), XSS);
  assert.ok((await page.locator('#wiring').textContent()).includes(`${XSS}ErrsAlarm`));
  assert.ok((await page.locator('#preview').textContent()).includes(`"Description": "${XSS}"`));
  assert.equal(await page.locator('img').count(), 0, 'an <img> element was created');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[onerror]').length), 0);
});

test('no request leaves the page, and after loading it makes none at all', async () => {
  await open();
  const loaded = seen.requests.map((url) => new URL(url));
  assert.ok(loaded.every((url) => url.origin === origin), loaded.join(', '));
  const files = loaded.map((url) => url.pathname).filter((p) => p !== '/favicon.ico');
  assert.deepEqual([...new Set(files)].sort(), [...PAGE_FILES].sort());
  const before = seen.requests.length;
  await page.selectOption('#example', 'large');
  await updated(Number(await page.locator('#status').getAttribute('data-updates')));
  assert.equal(await page.locator('#charts figure').count(), 100);
  await page.locator('#stage').fill('prod');
  await page.locator('input[name="format"][value="yaml"]').check();
  await page.waitForTimeout(600);
  assert.deepEqual(seen.requests.slice(before), [], 'requests after load');
  // The CSP the page declares allows no connection at all.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.equal(await page.evaluate(() => fetch('/editor.css').then(() => 'fetched', (e) => e.name)), 'TypeError');
  // That refusal was the point: it is not a fault of the page.
  await page.evaluate(() => (window.__violations = []));
  seen.expected = /Refused to connect|directive: "connect-src 'none'"/;
});

test('the state is in the URL hash: a link reproduces the editor', async () => {
  await open();
  await typeService('service: linked\nprovider: { name: aws }\nfunctions:\n  f: { handler: f.h }\n');
  await page.locator('#stage').fill('qa');
  await page.waitForFunction(() => location.hash.startsWith('#v1='));
  await page.waitForFunction(() => location.hash.length > 10);
  await page.waitForTimeout(700);
  const hash = await page.evaluate(() => location.hash);
  await page.close();
  await open(hash);
  assert.equal(await page.evaluate(() => window.canaria.view.state.doc.toString()), 'service: linked\nprovider: { name: aws }\nfunctions:\n  f: { handler: f.h }\n');
  assert.equal(await page.locator('#stage').inputValue(), 'qa');
});

test('after an engine panic the page keeps working', async () => {
  await open();
  const message = await page.evaluate(() => {
    try {
      window.canaria.engine.__panicForTests('deliberate');
      return 'no error';
    } catch (error) {
      return error.message;
    }
  });
  assert.match(message, /internal error \(the WebAssembly engine was restarted\): panicked at .*deliberate/s);
  assert.equal(await page.evaluate(() => window.canaria.engine.__restarts), 1);
  await typeService(MISTAKE);
  assert.ok((await diagnostics()).some((d) => d.code === 'canary/unknown-key' && d.line === 17));
});
