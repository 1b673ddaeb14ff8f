// canaria's browser editor: serverless.yml in CodeMirror, and on every edit
// (debounced) the diagnostics, the traffic-shift charts, the alarm wiring and
// the CloudFormation preview, all computed by the WebAssembly engine in the
// page. Nothing leaves the page.

import { EditorState } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { searchKeymap } from '@codemirror/search';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';

import { chart } from './chart.js';
import { fill, h } from './dom.js';
import { EXAMPLES } from './examples.js';
import { loadEngine } from './engine.js';
import { preview } from './preview.js';
import { decode, encode } from './state.js';
import { deployments, wiring } from './template.js';

const DEBOUNCE_MS = 200;
const $ = (id) => document.getElementById(id);

const inputs = { stage: $('stage'), region: $('region'), params: $('params'), filter: $('filter'), onlyCanaria: $('only-canaria') };
const status = $('status');

function setStatus(text, kind) {
  status.textContent = text;
  status.className = kind ?? '';
}

/** `key=value` lines (or comma-separated) → an object; blank and `=`-less entries are skipped. */
function parseParams(text) {
  const params = {};
  for (const entry of text.split(/[\n,]/)) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    params[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return params;
}

function format() {
  return document.querySelector('input[name="format"]:checked')?.value ?? 'json';
}

function options() {
  const options = { params: parseParams(inputs.params.value) };
  if (inputs.stage.value.trim()) options.stage = inputs.stage.value.trim();
  if (inputs.region.value.trim()) options.region = inputs.region.value.trim();
  return options;
}

/** A document position for a diagnostic's 1-based line and column, clamped into the document. */
function position(doc, location) {
  const line = doc.line(Math.min(Math.max(location.line, 1), doc.lines));
  return { line, from: Math.min(line.from + Math.max(location.column - 1, 0), line.to) };
}

let engine;
let view;
let lastCompiled = null;
let lastFunctions = {};

function jumpTo(location) {
  const { from } = position(view.state.doc, location);
  view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
  view.focus();
}

// Drawn entries by the diagnostic they show: an edit redraws only what changed.
let itemCache = new Map();

function diagnosticItem(d) {
  const where = d.location ? `${d.location.line}:${d.location.column}` : '';
  const item = h(
    'li',
    { class: `diagnostic ${d.severity}`, dataset: { code: d.code, line: d.location?.line ?? '' }, tabindex: d.location ? 0 : undefined },
    h('div', { class: 'head' }, h('span', { class: `severity ${d.severity}` }, d.severity), ' ', h('code', { class: 'code' }, d.code), where ? h('span', { class: 'where' }, `line ${where}`) : null),
    h('div', { class: 'message' }, d.message),
    d.path ? h('div', { class: 'path' }, h('code', null, d.path)) : null,
    d.help ? h('div', { class: 'help' }, 'help: ', d.help) : null,
  );
  if (d.location) {
    item.addEventListener('click', () => jumpTo(d.location));
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        jumpTo(d.location);
      }
    });
  }
  return item;
}

function renderDiagnostics(diagnostics) {
  const list = $('diagnostics');
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  $('diagnostic-count').textContent = diagnostics.length === 0 ? 'none' : `${errors} error${errors === 1 ? '' : 's'}, ${diagnostics.length - errors} other`;
  const next = new Map();
  for (const d of diagnostics) {
    const key = JSON.stringify(d);
    if (!next.has(key)) next.set(key, itemCache.get(key) ?? diagnosticItem(d));
  }
  itemCache = next;
  fill(list, [...next.values()]);
  // The same diagnostics in the editor's gutter, underlined to the end of the line.
  const doc = view.state.doc;
  const marks = diagnostics
    .filter((d) => d.location)
    .map((d) => {
      const { line, from } = position(doc, d.location);
      return { from, to: Math.max(line.to, from), severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info', message: `${d.message} [${d.code}]${d.help ? `\nhelp: ${d.help}` : ''}`, source: d.code };
    });
  view.dispatch(setDiagnostics(view.state, marks));
}

// Drawn charts by what they show: an edit redraws only the charts it changed.
let chartCache = new Map();
const shifts = new Map();

function renderCharts(found) {
  const charts = $('charts');
  if (found === null) return fill(charts, h('p', { class: 'muted' }, 'No template yet: fix the errors first.'));
  if (found.length === 0) return fill(charts, h('p', { class: 'muted' }, 'No function has deploymentSettings.'));
  // Each deployment is one function's alias, so the keys are distinct.
  const next = new Map();
  for (const deployment of found) {
    const key = JSON.stringify(deployment);
    next.set(key, chartCache.get(key) ?? chart(deployment, shiftOf(deployment.type)));
  }
  chartCache = next;
  fill(charts, [...next.values()]);
}

function shiftOf(type) {
  if (!shifts.has(type)) shifts.set(type, JSON.parse(engine.trafficShift(type)));
  return shifts.get(type);
}

function renderWiring(wired) {
  const box = $('wiring');
  if (wired === null) return fill(box, h('p', { class: 'muted' }, 'No template yet: fix the errors first.'));
  const notifies = (list) =>
    list.length === 0
      ? h('span', { class: 'muted' }, 'notifies no topic')
      : h('ul', { class: 'topics' }, list.map((n) => h('li', null, h('span', { class: 'state' }, n.state), ' → ', h('code', null, n.target), n.topicName ? h('span', { class: 'muted' }, ` (${n.topicName})`) : null)));
  const groups = wired.groups.map((group) =>
    h('div', { class: 'group', dataset: { function: group.function } },
      h('h3', null, group.function, ' ', h('span', { class: 'muted' }, `deployment group ${group.groupId ?? '?'}`)),
      group.alarms.length === 0
        ? h('p', { class: 'muted' }, 'No alarm rolls this deployment back.')
        : h('ul', { class: 'alarms' }, group.alarms.map((alarm) =>
            h('li', null, h('code', null, alarm.name), alarm.inStack ? ' ' : h('span', { class: 'muted' }, ' (outside this stack) '), notifies(alarm.notifies))))));
  const ungated = wired.ungated.length === 0 ? [] : [
    h('h3', null, 'Alarms that gate no deployment'),
    h('ul', { class: 'alarms' }, wired.ungated.map((alarm) => h('li', null, h('code', null, alarm.logicalId), ' ', notifies(alarm.notifies)))),
  ];
  fill(box, groups.length === 0 && ungated.length === 0 ? h('p', { class: 'muted' }, 'No alarms.') : [groups, ungated]);
}

function renderPreview() {
  const box = $('preview');
  if (!lastCompiled) return fill(box);
  let rendered;
  try {
    rendered = preview(lastCompiled, { format: format(), filter: inputs.filter.value, onlyCanaria: inputs.onlyCanaria.checked }, engine.toYaml);
  } catch (error) {
    setStatus(error instanceof Error ? error.message : String(error), 'error');
    return fill(box);
  }
  const { nodes, shown, total } = rendered;
  $('resource-count').textContent = total ? `${shown} of ${total} resources` : '';
  fill(box, nodes);
}

/** Runs the engine on the current text and redraws everything. */
function update() {
  const text = view.state.doc.toString();
  const opts = options();
  try {
    const started = performance.now();
    // compile reports every diagnostic validate does (at the same line and
    // column: tests/engine.test.js checks it on the corpus) and more, so one
    // call gives both.
    const compiled = JSON.parse(engine.compile(text, JSON.stringify(opts)));
    const loaded = JSON.parse(engine.loadYaml(text)).value;
    const computed = performance.now();
    lastCompiled = compiled;
    lastFunctions = loaded && typeof loaded === 'object' && loaded.functions && typeof loaded.functions === 'object' ? loaded.functions : {};
    const template = compiled.template ?? null;
    // Each panel's time, for the benchmark (status data-*-ms).
    const parts = {};
    const timed = (name, draw) => {
      const start = performance.now();
      draw();
      parts[name] = performance.now() - start;
    };
    timed('diagnostics', () => renderDiagnostics(compiled.diagnostics));
    timed('charts', () => renderCharts(template ? deployments(template, lastFunctions) : null));
    timed('wiring', () => renderWiring(template ? wiring(template, lastFunctions) : null));
    timed('preview', () => renderPreview());
    const rendered = performance.now();
    for (const [name, ms] of Object.entries(parts)) status.dataset[`${name}Ms`] = ms.toFixed(2);
    status.dataset.engineMs = (computed - started).toFixed(2);
    status.dataset.renderMs = (rendered - computed).toFixed(2);
    status.dataset.updates = String(Number(status.dataset.updates ?? 0) + 1);
    setStatus(`engine ${(computed - started).toFixed(1)} ms · page ${(rendered - computed).toFixed(1)} ms`);
  } catch (error) {
    // An engine failure is shown, never fatal: the wrapper has already
    // restarted the engine, so the next edit runs normally.
    setStatus(error instanceof Error ? error.message : String(error), 'error');
  }
  scheduleSave();
}

let updateTimer;
function scheduleUpdate() {
  clearTimeout(updateTimer);
  updateTimer = setTimeout(update, DEBOUNCE_MS);
}

let saveTimer;
function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(async () => {
    const hash = await encode({
      text: view.state.doc.toString(),
      stage: inputs.stage.value,
      region: inputs.region.value,
      params: inputs.params.value,
      format: format(),
      filter: inputs.filter.value,
      onlyCanaria: inputs.onlyCanaria.checked,
    });
    if (hash !== location.hash) window.history.replaceState(null, '', hash);
  }, 300);
}

function setText(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function applyState(state) {
  inputs.stage.value = typeof state.stage === 'string' ? state.stage : '';
  inputs.region.value = typeof state.region === 'string' ? state.region : '';
  inputs.params.value = typeof state.params === 'string' ? state.params : '';
  inputs.filter.value = typeof state.filter === 'string' ? state.filter : '';
  inputs.onlyCanaria.checked = state.onlyCanaria === true;
  const radio = document.querySelector(`input[name="format"][value="${state.format === 'yaml' ? 'yaml' : 'json'}"]`);
  if (radio) radio.checked = true;
  setText(state.text);
}

async function main() {
  setStatus('loading the engine…');
  try {
    engine = await loadEngine();
  } catch (error) {
    setStatus(`the engine did not load: ${error instanceof Error ? error.message : String(error)}`, 'error');
    return;
  }
  const initial = (await decode(location.hash)) ?? { text: EXAMPLES.origin() };

  // The editor lives in a shadow root: CodeMirror then styles itself through
  // constructable stylesheets (adoptedStyleSheets), which the CSP's
  // `style-src 'self'` allows, where a document-level <style> would be refused.
  const shadow = $('source').attachShadow({ mode: 'open' });
  view = new EditorView({
    parent: shadow,
    root: shadow,
    state: EditorState.create({
      doc: '',
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        yaml(),
        lintGutter(),
        EditorState.tabSize.of(2),
        EditorView.theme({
          '&': { height: '100%', backgroundColor: '#fff' },
          '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: '13px' },
        }),
        keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap, ...searchKeymap]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) scheduleUpdate();
        }),
      ],
    }),
  });
  applyState(initial);
  // For the devtools console, the tests and the benchmark: the engine and the editor view.
  window.canaria = { engine, view };

  for (const input of [inputs.stage, inputs.region, inputs.params]) input.addEventListener('input', scheduleUpdate);
  for (const input of [inputs.filter, inputs.onlyCanaria, ...document.querySelectorAll('input[name="format"]')]) {
    input.addEventListener('input', () => {
      renderPreview();
      scheduleSave();
    });
  }
  $('example').addEventListener('change', (event) => {
    const load = EXAMPLES[event.target.value];
    if (load) setText(load());
    event.target.value = '';
  });
  window.addEventListener('hashchange', async () => {
    const state = await decode(location.hash);
    if (state && state.text !== view.state.doc.toString()) applyState(state);
  });
  document.body.dataset.ready = 'true';
}

main();
