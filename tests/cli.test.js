'use strict';

// The serverless-canaria command, run as a process: exit codes, output
// formats, and file:line:col on every located diagnostic.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// The YAML reader the Framework itself uses.
const yaml = require('node:module').createRequire(require.resolve('serverless'))('js-yaml');

const { REPO, WORK } = require('./lib/sls');
const BIN = path.join(REPO, 'js-plugin', 'bin', 'serverless-canaria.js');
const EXAMPLE = path.join(REPO, 'examples', 'canary-deployments');
const INVALID = path.join(__dirname, 'invalid');

function cli(args, { cwd = REPO, env = {} } = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, CANARIA_ENGINE: '', ...env },
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Inside the repository, so that `npx` finds the workspace's command.
function tempService(text, files = {}) {
  fs.mkdirSync(WORK, { recursive: true });
  const dir = fs.mkdtempSync(path.join(WORK, 'cli-'));
  fs.writeFileSync(path.join(dir, 'serverless.yml'), text);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('serverless-canaria validate', () => {
  test('a valid service exits 0 and says so', () => {
    const run = cli(['validate'], { cwd: EXAMPLE });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^serverless\.yml: 0 errors, 0 warnings$/m);
  });

  test('every error of an invalid service is printed at file:line:col, exit 1', () => {
    for (const name of ['canary-alias-missing', 'canary-unknown-hook', 'alerts-unknown-statistic']) {
      const dir = path.join(INVALID, name);
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')).diagnostics;
      const file = path.join(dir, 'serverless.yml');
      const run = cli(['validate', file]);
      assert.equal(run.code, 1, `${name}: ${run.stdout}${run.stderr}`);
      for (const d of expected) {
        const line = `${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: `;
        assert.ok(run.stdout.includes(line), `${name}: no line starting "${line}" in:\n${run.stdout}`);
      }
    }
  });

  test('warnings alone exit 0', () => {
    const dir = path.join(INVALID, 'alerts-unknown-key-warning');
    const run = cli(['validate', path.join(dir, 'serverless.yml')]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /warning alerts\/unknown-key: /);
    assert.match(run.stdout, /0 errors, 1 warning$/m);
  });

  test('--json prints the diagnostics as data', () => {
    const dir = path.join(INVALID, 'canary-alias-missing');
    const run = cli(['validate', '--json', path.join(dir, 'serverless.yml')]);
    assert.equal(run.code, 1);
    const printed = JSON.parse(run.stdout);
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')).diagnostics;
    assert.deepEqual(
      printed.diagnostics.map((d) => ({ code: d.code, severity: d.severity, path: d.path, ...d.location })),
      expected
    );
  });

  test('--stage reaches the checks', () => {
    const dir = tempService(
      'service: svc\nprovider:\n  name: aws\ncustom:\n  alerts:\n    stages: [prod]\nfunctions:\n  a:\n    handler: h.a\n'
    );
    const dev = cli(['validate', '--json'], { cwd: dir });
    const prod = cli(['validate', '--json', '--stage', 'prod'], { cwd: dir });
    const codes = (run) => JSON.parse(run.stdout).diagnostics.map((d) => d.code);
    assert.ok(codes(dev).includes('alerts/stage-skipped'), dev.stdout);
    assert.ok(!codes(prod).includes('alerts/stage-skipped'), prod.stdout);
  });
});

describe('serverless-canaria compile', () => {
  test('writes the template as JSON to stdout', () => {
    const run = cli(['compile'], { cwd: EXAMPLE });
    assert.equal(run.code, 0, run.stderr);
    const template = JSON.parse(run.stdout);
    assert.equal(template.Resources.HelloLambdaFunctionAliasLive.Type, 'AWS::Lambda::Alias');
    assert.equal(template.Resources.HelloLambdaFunctionDeploymentGroup.Type, 'AWS::CodeDeploy::DeploymentGroup');
  });

  test('--format yaml writes the same template as YAML', () => {
    const json = JSON.parse(cli(['compile'], { cwd: EXAMPLE }).stdout);
    const run = cli(['compile', '--format', 'yaml'], { cwd: EXAMPLE });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(yaml.load(run.stdout), json);
  });

  test('--stage, --param, the environment and ${file()} reach the variables', () => {
    const dir = tempService(
      `service: svc
provider:
  name: aws
  environment:
    FROM_PARAM: \${param:colour}
    FROM_ENV: \${env:CANARIA_CLI_TEST}
    FROM_FILE: \${file(./config/common.yml):owner}
    FROM_STAGE_FILE: \${file(./config/\${sls:stage}.json):table}
functions:
  a:
    handler: h.a
`,
      { 'config/common.yml': 'owner: team-a\n', 'config/prod.json': '{"table": "orders-prod"}', 'config/dev.json': '{"table": "orders-dev"}' }
    );
    const run = cli(['compile', '--stage', 'prod', '--param', 'colour=blue'], { cwd: dir, env: { CANARIA_CLI_TEST: 'from-env' } });
    assert.equal(run.code, 0, run.stderr);
    const { Variables } = JSON.parse(run.stdout).Resources.ALambdaFunction.Properties.Environment;
    assert.deepEqual(Variables, { FROM_PARAM: 'blue', FROM_ENV: 'from-env', FROM_FILE: 'team-a', FROM_STAGE_FILE: 'orders-prod' });
  });

  test('an error prints at file:line:col to stderr, no template, exit 1', () => {
    const dir = path.join(INVALID, 'canary-alias-missing');
    const file = path.join(dir, 'serverless.yml');
    const run = cli(['compile', file]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.includes(`${file}:12:5: error canary/alias-missing: `), run.stderr);
    assert.match(run.stderr, /no template written/);
  });

  test('a YAML syntax error is located too', () => {
    const dir = tempService('service: svc\nprovider:\n  name: aws\n  stage: [dev\n');
    const run = cli(['compile'], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^serverless\.yml:\d+:\d+: error yaml\/syntax: /m);
  });
});

describe('serverless-canaria usage', () => {
  const cases = [
    [[], /name a command/],
    [['deploy'], /unknown command "deploy"/],
    [['compile', '--bogus'], /Unknown option '--bogus'/],
    [['compile', '--format', 'xml'], /--format must be json or yaml/],
    [['validate', '--format', 'yaml'], /--format applies to compile/],
    [['compile', '--json'], /--json applies to validate/],
    [['compile', '--param', 'novalue'], /--param takes key=value/],
    [['compile', '--engine', 'jvm'], /--engine must be native or wasm/],
    [['compile', 'missing.yml'], /cannot read missing\.yml: no such file/],
    [['validate', 'a.yml', 'b.yml'], /unexpected argument "b\.yml"/],
  ];
  for (const [args, message] of cases) {
    test(`${args.join(' ') || '(no arguments)'} exits 2`, () => {
      const run = cli(args, { cwd: EXAMPLE });
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /^Usage:/m);
    });
  }

  test('--help and --version exit 0', () => {
    assert.match(cli(['--help']).stdout, /^Usage:/);
    assert.equal(cli(['--version']).stdout.trim(), require('../js-plugin/package.json').version);
  });
});

describe('the origin story buildspec', () => {
  test('its serverless-canaria step passes on the example and fails on a mistake', () => {
    const buildspec = yaml.load(fs.readFileSync(path.join(EXAMPLE, 'buildspec.yml'), 'utf8'));
    const steps = Object.values(buildspec.phases)
      .flatMap((phase) => phase.commands)
      .filter((command) => command.startsWith('npx serverless-canaria '));
    assert.equal(steps.length, 1, 'the buildspec has one serverless-canaria step');
    // The step as CodeBuild's shell runs it, with the buildspec's variables.
    const shell = (cwd) =>
      spawnSync('sh', ['-c', steps[0]], {
        cwd,
        env: { ...process.env, ...buildspec.env.variables },
        encoding: 'utf8',
      });
    const clean = shell(EXAMPLE);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);

    // A project of its own, as in CodeBuild: npx runs in the package's directory.
    const broken = tempService(
      fs.readFileSync(path.join(EXAMPLE, 'serverless.yml'), 'utf8').replace('type: Canary10Percent5Minutes', 'type: Canary10Percent5Minute'),
      { 'package.json': fs.readFileSync(path.join(EXAMPLE, 'package.json'), 'utf8') }
    );
    const failed = shell(broken);
    assert.equal(failed.status, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /^serverless\.yml:\d+:\d+: error canary\/unknown-deployment-type: /m);
  });
});
