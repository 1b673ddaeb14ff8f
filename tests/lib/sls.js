'use strict';

// Runs the real Serverless Framework (3.40.0, offline) on a service and
// returns the template it writes.

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
// Each test process packages in a work dir of its own, so concurrent runs
// never delete each other's services; those of finished runs are removed.
const WORK_ROOT = path.join(REPO, 'tests', '.work');
const WORK = path.join(WORK_ROOT, `run-${process.pid}`);
for (const entry of fs.existsSync(WORK_ROOT) ? fs.readdirSync(WORK_ROOT) : []) {
  const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
  if (pid && pid !== process.pid && !isRunning(pid)) fs.rmSync(path.join(WORK_ROOT, entry), { recursive: true, force: true });
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
const SLS_BIN = require.resolve('serverless/bin/serverless.js');

const ORIGINAL_CANARY = 'serverless-plugin-canary-deployments';
const ORIGINAL_ALERTS = 'serverless-plugin-aws-alerts';
const CANARIA = 'serverless-canaria';

// What `sls package` needs to run with no AWS account and no network.
const OFFLINE_ENV = {
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
  AWS_REGION: '',
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  SLS_AWS_MONITORING_FREQUENCY: '0',
};

const HANDLER = "'use strict';\nmodule.exports.handler = async () => ({ statusCode: 200 });\n";

/** Copies a service into a fresh work dir, with serverless.yml rewritten by `edit`. */
function stage(serviceDir, label, edit = (yml) => yml) {
  const name = path.basename(serviceDir);
  const dir = path.join(WORK, label, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(serviceDir)) {
    if (entry === 'compat.json') continue;
    fs.cpSync(path.join(serviceDir, entry), path.join(dir, entry), { recursive: true });
  }
  for (const file of ['handler.js', 'hooks.js']) {
    const target = path.join(dir, file);
    if (!fs.existsSync(target)) fs.writeFileSync(target, HANDLER);
  }
  const yml = path.join(dir, 'serverless.yml');
  fs.writeFileSync(yml, edit(fs.readFileSync(yml, 'utf8')));
  return dir;
}

/**
 * `sls package` in `dir`; resolves to {code, stdout, stderr, template}.
 * `bin` picks another installation of the framework than this repo's; `env`
 * adds to the environment.
 */
function slsPackage(dir, { args = [], bin = SLS_BIN, env = {} } = {}) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'package', ...args],
      { cwd: dir, env: { ...process.env, ...OFFLINE_ENV, ...env }, maxBuffer: 64 << 20, timeout: 300_000 },
      (error, stdout, stderr) => {
        const file = path.join(dir, '.serverless', 'cloudformation-template-update-stack.json');
        const template = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
        resolve({ code: error ? error.code ?? 1 : 0, stdout, stderr, template, templateFile: file });
      }
    );
  });
}

/**
 * Blanks out only what legitimately differs between two runs of the same
 * service: the clock (API Gateway deployment suffix, artifact directory) and
 * the code zip's hash (Lambda version suffix and CodeSha256; serverless.yml
 * itself is inside the zip, and the two runs list different plugins).
 */
function normalise(templateText) {
  return templateText
    .replace(/ApiGatewayDeployment\d+/g, 'ApiGatewayDeployment<clock>')
    .replace(/\d{13}-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '<clock>')
    .replace(/LambdaVersion[0-9A-Za-z]+/g, 'LambdaVersion<hash>')
    .replace(/"CodeSha256": "[^"]*"/g, '"CodeSha256": "<hash>"');
}

/**
 * The two plugin lists of a differential run: the original plugins as the
 * service lists them, and `- serverless-canaria` alone in their place.
 */
const variants = {
  original: (yml) => yml,
  canaria: (yml) => {
    const original = new RegExp(`^(\\s*-\\s*)(${ORIGINAL_CANARY}|${ORIGINAL_ALERTS})\\s*$`);
    let placed = false;
    return yml
      .split('\n')
      .flatMap((line) => {
        const item = original.exec(line);
        if (!item) return [line];
        if (placed) return [];
        placed = true;
        return [`${item[1]}${CANARIA}`];
      })
      .join('\n');
  },
};

module.exports = { REPO, WORK, SLS_BIN, OFFLINE_ENV, HANDLER, stage, slsPackage, normalise, variants, ORIGINAL_CANARY, ORIGINAL_ALERTS, CANARIA };
