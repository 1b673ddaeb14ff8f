'use strict';

// Preloaded into `sls package` (`node --require bench/hook-timer.js …`) by
// bench/run.js. It wraps the hooks that the measured plugins register with
// the framework's PluginManager, so the time inside each plugin's own hooks
// is measured, not the framework's. After the last canary hook it also times
// the JSON floor: one JSON.stringify + JSON.parse of the finished template.
//
// Writes {hooks: {<plugin>: {<event>: ms}}, floorMs, templateBytes,
// maxRssKb} to the file named by BENCH_HOOK_OUT when the process exits.
// With BENCH_DUMP_DIR set, canaria's engine inputs are saved there too (for
// the core micro-benchmarks).

const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const MEASURED = new Set(['ServerlessCanaryDeployments', 'AlertsPlugin', 'ServerlessCanaria']);
const LAST_HOOK = 'after:aws:package:finalize:mergeCustomProviderResources';

const out = process.env.BENCH_HOOK_OUT;
const result = { hooks: {}, floorMs: null, templateBytes: null, maxRssKb: null };

function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function record(plugin, event, ms) {
  result.hooks[plugin] ??= {};
  result.hooks[plugin][event] = (result.hooks[plugin][event] ?? 0) + ms;
}

/** Times one JSON.stringify + JSON.parse of the template as it is now. */
function floor(serverless) {
  const template = serverless.service.provider.compiledCloudFormationTemplate;
  const start = now();
  const text = JSON.stringify(template);
  JSON.parse(text);
  result.floorMs = now() - start;
  result.templateBytes = Buffer.byteLength(text);
}

const PluginManager = require(require.resolve('serverless/lib/classes/plugin-manager.js', { paths: [REPO] }));
const loadHooks = PluginManager.prototype.loadHooks;
PluginManager.prototype.loadHooks = function timedLoadHooks(plugin) {
  const name = plugin.constructor.name;
  if (MEASURED.has(name) && plugin.hooks) {
    const serverless = this.serverless;
    for (const [event, hook] of Object.entries(plugin.hooks)) {
      plugin.hooks[event] = async (...args) => {
        const start = now();
        try {
          return await hook(...args);
        } finally {
          record(name, event, now() - start);
          if (event === LAST_HOOK) floor(serverless);
        }
      };
    }
  }
  return loadHooks.call(this, plugin);
};

if (process.env.BENCH_DUMP_DIR) {
  // The engine's inputs exactly as they cross the boundary.
  const dir = process.env.BENCH_DUMP_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const engine = require(require.resolve('serverless-canaria/lib/engine', { paths: [REPO] }));
  for (const pass of ['alertsPass', 'canaryPass']) {
    const run = engine[pass];
    engine[pass] = (template, service) => {
      fs.writeFileSync(path.join(dir, `${pass}.template.json`), template);
      fs.writeFileSync(path.join(dir, `${pass}.service.json`), service);
      return run(template, service);
    };
  }
}

if (out) {
  process.on('exit', () => {
    result.maxRssKb = process.resourceUsage().maxRSS;
    fs.writeFileSync(out, JSON.stringify(result));
  });
}
