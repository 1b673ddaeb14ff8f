#!/usr/bin/env node
'use strict';

// serverless-canaria validate|compile: canaria without the Serverless
// Framework, for CI pipelines. Exit codes: 0 no errors, 1 errors, 2 usage.

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const USAGE = `Usage:
  serverless-canaria validate [serverless.yml] [--stage S] [--region R] [--param k=v]... [--json]
  serverless-canaria compile  [serverless.yml] [--stage S] [--region R] [--param k=v]... [--format json|yaml]

Options:
  --stage S          the stage (else provider.stage, else dev)
  --region R         the region (else provider.region, else us-east-1)
  --param k=v        a parameter for \${param:k}; repeatable
  --json             validate: print the diagnostics as JSON
  --format F         compile: json (default) or yaml
  --engine E         native (default) or wasm: which build of the core runs
  -h, --help         this text
  -v, --version      the version

Exit codes: 0 no errors (warnings allowed), 1 errors, 2 usage.`;

class UsageError extends Error {}

function parse(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        param: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        format: { type: 'string' },
        engine: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help || values.version) return { values, command: null };
  const [command, file = 'serverless.yml', ...rest] = positionals;
  if (!command) throw new UsageError('name a command: validate or compile');
  if (!['validate', 'compile'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (values.format && !['json', 'yaml'].includes(values.format)) {
    throw new UsageError(`--format must be json or yaml, not "${values.format}"`);
  }
  if (values.format && command !== 'compile') throw new UsageError('--format applies to compile');
  if (values.json && command !== 'validate') throw new UsageError('--json applies to validate');
  const params = {};
  for (const pair of values.param ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param takes key=value, not "${pair}"`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { command, file, values, params };
}

/** The core build to run: the native addon, or the WebAssembly build. */
function loadEngine(name = process.env.CANARIA_ENGINE || 'native') {
  if (name === 'native') return require('canaria-node');
  if (name === 'wasm') {
    try {
      return require('canaria-wasm');
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND') throw error;
      throw new UsageError('the WebAssembly build (canaria-wasm) is not installed');
    }
  }
  throw new UsageError(`--engine must be native or wasm, not "${name}"`);
}

const FILE_REFERENCE = /\$\{file\(([^)]+)\)/g;
const DATA_FILE = /\.(ya?ml|json)$/;

/**
 * The files serverless.yml reads with `${file(…)}`, by path relative to its
 * directory. A path built from variables brings every YAML and JSON file of
 * its directory.
 */
function referencedFiles(dir, text, files = {}) {
  for (const [, reference] of text.matchAll(FILE_REFERENCE)) {
    const written = reference.trim().replace(/^['"]|['"]$/g, '');
    const candidates = [];
    if (written.includes('${')) {
      const folder = path.dirname(written.slice(0, written.indexOf('${')) + 'x');
      const absolute = path.resolve(dir, folder);
      if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) continue;
      for (const entry of fs.readdirSync(absolute)) {
        if (DATA_FILE.test(entry)) candidates.push(path.join(folder, entry));
      }
    } else {
      candidates.push(written);
    }
    for (const candidate of candidates) {
      const relative = path.normalize(candidate);
      const absolute = path.resolve(dir, relative);
      if (relative in files || !fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) continue;
      files[relative] = fs.readFileSync(absolute, 'utf8');
      referencedFiles(dir, files[relative], files);
    }
  }
  return files;
}

function formatDiagnostic(file, d) {
  const where = d.location ? `${file}:${d.location.line}:${d.location.column}` : file;
  const at = d.path ? ` (at ${d.path})` : '';
  const lines = [`${where}: ${d.severity} ${d.code}: ${d.message}${at}`];
  if (d.help) lines.push(`  help: ${d.help}`);
  return lines.join('\n');
}

function summary(diagnostics) {
  const count = (severity) => diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}

function run(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  const { command, file, values, params } = parse(argv);
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    stdout.write(`${require('../package.json').version}\n`);
    return 0;
  }
  const engine = loadEngine(values.engine);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  const options = JSON.stringify({
    stage: values.stage,
    region: values.region,
    params,
    env: { ...process.env },
    files: referencedFiles(path.dirname(path.resolve(file)), text),
  });
  if (command === 'validate') {
    const { diagnostics } = JSON.parse(engine.validate(text, options));
    if (values.json) stdout.write(`${JSON.stringify({ file, diagnostics }, null, 2)}\n`);
    else {
      for (const d of diagnostics) stdout.write(`${formatDiagnostic(file, d)}\n`);
      stdout.write(`${file}: ${summary(diagnostics)}\n`);
    }
    return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  }
  const result = JSON.parse(engine.compile(text, options));
  for (const d of result.diagnostics) {
    if (d.severity !== 'info') stderr.write(`${formatDiagnostic(file, d)}\n`);
  }
  if (!result.template) {
    stderr.write(`${file}: ${summary(result.diagnostics)}; no template written\n`);
    return 1;
  }
  const json = JSON.stringify(result.template, null, 2);
  stdout.write(values.format === 'yaml' ? engine.toYaml(json) : `${json}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = run(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`serverless-canaria: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  }
}

module.exports = { run, referencedFiles, UsageError };
