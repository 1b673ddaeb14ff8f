'use strict';

// canaria's YAML front end against the reader the Serverless Framework uses:
// js-yaml 4.3.2 with @serverless/utils' CloudFormation schema. Every
// serverless.yml of the test corpus, and a set of tricky documents, must
// read to the same JSON.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { loadYaml } = require('./lib/engine').engine;

const frameworkRequire = require('node:module').createRequire(require.resolve('serverless'));
const jsYaml = frameworkRequire('js-yaml');
const cloudformationSchema = frameworkRequire('@serverless/utils/cloudformation-schema');

function framework(text) {
  return JSON.parse(JSON.stringify(jsYaml.load(text, { schema: cloudformationSchema })));
}

function canaria(text) {
  const { value, diagnostics } = JSON.parse(loadYaml(text));
  assert.deepEqual(diagnostics, [], text);
  return value;
}

const SERVICES = path.join(__dirname, 'services');
const files = fs
  .readdirSync(SERVICES)
  .map((name) => path.join(SERVICES, name, 'serverless.yml'))
  .filter((file) => fs.existsSync(file));

test('every service of the corpus reads as the Framework reads it', () => {
  assert.ok(files.length >= 50, `${files.length} services`);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(canaria(text), framework(text), file);
  }
});

const TRICKY = [
  'a: yes\nb: no\nc: on\nd: off\ne: y\nf: NO',
  'a: 1.10\nb: 0777\nc: 0o17\nd: 0x1F\ne: 1_000\nf: 12345678901234567890\ng: -.5e-3\nh: .5\ni: 1e3\nj: +5',
  'a: .inf\nb: -.Inf\nc: .nan\nd: ~\ne: null\nf:\ng: Null',
  'a: 2024-01-02\nb: 2024-01-02 10:00:00\nc: 2001-12-14t21:59:43.10-05:00\nd: 2024-1-2T3:04:05Z\ne: "2024-01-02"',
  'a: !Ref X\nb: !GetAtt X.Arn\nc: !GetAtt X.Y.Z\nd: !Sub "${AWS::Region}"\ne: !Join ["", [a, !Ref B]]\nf: !Select [0, !GetAZs ""]',
  'a: !Split [",", !ImportValue V]\nb: !FindInMap [M, K, V]\nc: !Base64 x\nd: !Cidr [a, 1, 2]\ne: !Equals [a, b]\nf: !And [!Condition C, !Not [!Equals [1, 2]]]\ng: !Or [a, b]\nh: !If [C, 1, 2]',
  'base: &b {x: 1, y: [1, 2]}\nm: {<<: *b, x: 9}\nn:\n  <<: [*b, {z: 3}]\n  w: 0\nl: [*b, *b]',
  '1: a\ntrue: b\n~: c\n1.10: d\n"quoted key": e\n? explicit\n: f',
  'text: |\n  line one\n  line two\nfolded: >\n  folded\n  text\nkeep: |+\n  kept\n\nstrip: >-\n  stripped\n',
  'a: "tab\\there \\u00e9"\nb: \'it\'\'s\'\nc: plain # comment\nd: "#not comment"',
  'list:\n- a\n- b: 1\n  c: 2\n- [x, y]\n- {p: q}\n-\n- ""',
];

test('tricky documents read as the Framework reads them', () => {
  for (const text of TRICKY) {
    assert.deepEqual(canaria(text), framework(text), text);
  }
});

test('documents the Framework refuses are refused, with a location', () => {
  for (const [text, code] of [
    ['a: 1\na: 2', 'yaml/duplicate-key'],
    ['a: !Foo 1', 'yaml/unknown-tag'],
    ['a: 1\n---\nb: 2', 'yaml/multiple-documents'],
    ['a: [1, 2', 'yaml/syntax'],
    [`a: ${'['.repeat(100)}${']'.repeat(100)}`, 'yaml/too-deep'],
  ]) {
    assert.throws(() => framework(text), undefined, `js-yaml accepts ${JSON.stringify(text)}`);
    const { value, diagnostics } = JSON.parse(loadYaml(text));
    assert.equal(value, null);
    assert.equal(diagnostics[0].code, code, text);
    assert.ok(diagnostics[0].location.line >= 1, text);
  }
});
