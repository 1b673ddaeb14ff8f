'use strict';

// Standalone compile against the real `sls package`. Every service under
// compile/ is packaged by Serverless 3.40.0 with its clock frozen, and
// compiled by canaria from its serverless.yml alone. The two templates must
// hold the same resources (logical ID and type) and the same properties, after
// normalising only the documented placeholders (docs/compile.md): the clock
// (artifact directory, API Gateway deployment suffix) and the code hash
// (version suffix, CodeSha256). A case.json may give the stage, region,
// params and environment of both runs, and the compile warnings expected
// (`warnings`: the codes, in order).

const { describe, test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { execFileSync } = require('node:child_process');

const { REPO, stage, slsPackage, normalise, WORK } = require('./lib/sls');
const native = require('canaria-node');

const CASES = path.join(__dirname, 'compile');
const CFN_LINT = process.env.CFN_LINT || path.join(REPO, 'tests', '.venv', 'bin', 'cfn-lint');
// Findings about the Framework's own output, not canaria's: the deprecated
// nodejs runtimes, and a DependsOn that a Ref already implies.
const CFN_LINT_IGNORED = ['W2531', 'W3005'];
/** Every template canaria compiled in this run, for cfn-lint. */
const compiled = [];
const FREEZE = path.join(__dirname, 'lib', 'freeze-time.js');

const services = fs
  .readdirSync(CASES)
  .filter((name) => fs.existsSync(path.join(CASES, name, 'serverless.yml')))
  .sort();

/** The other text files of a service, for `${file(…)}`. */
function serviceFiles(dir, prefix = '') {
  const files = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) Object.assign(files, serviceFiles(path.join(dir, entry.name), `${relative}/`));
    else if (/\.(ya?ml|json|txt)$/.test(entry.name) && relative !== 'serverless.yml' && relative !== 'case.json') {
      files[relative] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
    }
  }
  return files;
}

function cliArgs({ stage: s, region, params = {} }) {
  const args = [];
  if (s) args.push('--stage', s);
  if (region) args.push('--region', region);
  for (const [key, value] of Object.entries(params)) args.push('--param', `${key}=${value}`);
  return args;
}

/** Share of `expected`'s entries that `actual` has exactly. */
function share(expected, actual) {
  const keys = Object.keys(expected);
  const same = keys.filter((key) => JSON.stringify(expected[key]) === JSON.stringify(actual?.[key])).length;
  return { same, of: keys.length };
}

const report = [];

describe('standalone compile against sls package', { concurrency: 2 }, () => {
  test('the corpus has at least 20 services', () => {
    assert.ok(services.length >= 20, `only ${services.length} services`);
  });

  for (const name of services) {
    test(name, async () => {
      const dir = path.join(CASES, name);
      const caseFile = path.join(dir, 'case.json');
      const spec = fs.existsSync(caseFile) ? JSON.parse(fs.readFileSync(caseFile, 'utf8')) : {};
      const args = spec.args ?? {};
      const staged = stage(dir, 'compile');
      const run = await slsPackage(staged, {
        args: cliArgs(args),
        env: { ...args.env, NODE_OPTIONS: `--require ${FREEZE}` },
      });
      assert.equal(run.code, 0, `sls package failed:\n${run.stdout}${run.stderr}`);
      const expected = JSON.parse(normalise(run.template));

      const text = fs.readFileSync(path.join(dir, 'serverless.yml'), 'utf8');
      const options = { ...args, files: serviceFiles(dir) };
      const result = JSON.parse(native.compile(text, JSON.stringify(options)));
      const problems = result.diagnostics.filter((d) => d.severity !== 'info');
      assert.deepEqual(
        problems.map((d) => d.code),
        spec.warnings ?? [],
        `unexpected diagnostics:\n${JSON.stringify(problems, null, 2)}`
      );
      assert.ok(result.template, 'canaria compiled no template');
      const file = path.join(staged, 'canaria-compiled.json');
      fs.writeFileSync(file, JSON.stringify(result.template, null, 2));
      compiled.push(file);
      const actual = JSON.parse(normalise(JSON.stringify(result.template, null, 2)));

      const resources = share(expected.Resources, actual.Resources);
      let properties = { same: 0, of: 0 };
      for (const [id, resource] of Object.entries(expected.Resources)) {
        const counted = share(resource.Properties ?? {}, actual.Resources[id]?.Properties ?? {});
        properties = { same: properties.same + counted.same, of: properties.of + counted.of };
      }
      report.push({ service: name, resources, properties });

      const types = (template) =>
        Object.fromEntries(Object.entries(template.Resources).map(([id, r]) => [id, r.Type]));
      assert.deepEqual(types(actual), types(expected), 'the logical IDs and types differ');
      for (const id of Object.keys(expected.Resources)) {
        assert.deepEqual(actual.Resources[id], expected.Resources[id], `resource ${id} differs`);
      }
      assert.deepEqual(actual.Outputs, expected.Outputs, 'the outputs differ');
      assert.deepEqual(actual, expected, 'the templates differ outside Resources and Outputs');
    });
  }

  after(() => {
    if (!report.length) return;
    const lines = report
      .sort((a, b) => a.service.localeCompare(b.service))
      .map(
        ({ service, resources: r, properties: p }) =>
          `  ${service.padEnd(32)} resources ${r.same}/${r.of}  properties ${p.same}/${p.of}`
      );
    fs.mkdirSync(WORK, { recursive: true });
    fs.writeFileSync(path.join(WORK, 'compile-report.txt'), `${lines.join('\n')}\n`);
    console.log(`standalone compile, exact matches per service:\n${lines.join('\n')}`);
  });
});

// After every service above: top-level suites run one after another.
describe('the compiled templates', () => {
  test('cfn-lint finds nothing in any compiled template', () => {
    assert.ok(compiled.length >= 20, `only ${compiled.length} templates compiled`);
    const args = ['--ignore-checks', ...CFN_LINT_IGNORED, '--', ...compiled];
    let output = '';
    try {
      output = execFileSync(CFN_LINT, args, { encoding: 'utf8' });
    } catch (error) {
      output = `${error.stdout}${error.stderr}`;
    }
    assert.equal(output.trim(), '', `cfn-lint:\n${output}`);
  });
});
