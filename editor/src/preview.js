// The CloudFormation preview: one block per resource, canaria's added and
// rewired resources marked, JSON or YAML, filtered by logical ID or type.

import { h } from './dom.js';

const OPEN_AT_MOST = 40;
// The blocks drawn last time, by what they show.
let blocks = new Map();

/**
 * @param compiled the parsed `compile` result
 * @param view {format: 'json'|'yaml', filter: string, onlyCanaria: boolean}
 * @param toYaml the engine's YAML writer (JSON text → YAML text), the one `compile --format yaml` uses
 * @returns {nodes, shown, total}
 */
export function preview(compiled, view, toYaml) {
  const body = (value) => (view.format === 'yaml' ? toYaml(JSON.stringify(value)) : JSON.stringify(value, null, 2));
  const template = compiled.template;
  if (!template) return { nodes: [h('p', { class: 'muted' }, 'No template: fix the errors above first.')], shown: 0, total: 0 };
  const added = new Set(compiled.resources?.added ?? []);
  const rewired = new Set(compiled.resources?.rewired ?? []);
  const needle = view.filter.trim().toLowerCase();
  const entries = Object.entries(template.Resources ?? {});
  const nodes = [];
  // The template's other sections, whole, when nothing narrows the view.
  if (!needle && !view.onlyCanaria) {
    const rest = Object.fromEntries(Object.entries(template).filter(([key]) => key !== 'Resources'));
    if (Object.keys(rest).length > 0) {
      nodes.push(h('details', { class: 'resource section' }, h('summary', null, 'Template sections other than Resources'), h('pre', null, body(rest))));
    }
  }
  const matching = entries.filter(([id, resource]) => {
    const type = resource && typeof resource.Type === 'string' ? resource.Type : '';
    if (view.onlyCanaria && !added.has(id) && !rewired.has(id)) return false;
    return !needle || id.toLowerCase().includes(needle) || type.toLowerCase().includes(needle);
  });
  // A few resources open at once; in a large template, canaria's stay closed
  // and each body is written when its block is first opened.
  const openOwned = matching.length <= OPEN_AT_MOST;
  const next = new Map();
  for (const [id, resource] of matching) {
    const type = resource && typeof resource.Type === 'string' ? resource.Type : '';
    const owner = added.has(id) ? 'added' : rewired.has(id) ? 'rewired' : null;
    // An unchanged resource keeps its block (and whether it is open).
    const key = JSON.stringify([id, owner, view.format, openOwned, resource]);
    const kept = blocks.get(key);
    if (kept) {
      next.set(key, kept);
      nodes.push(kept);
      continue;
    }
    const block = h('details', { class: `resource${owner ? ` ${owner}` : ''}`, dataset: { logicalId: id } },
      h('summary', null, h('code', { class: 'logical-id' }, id), ' ', h('span', { class: 'type' }, type), owner ? h('span', { class: `badge ${owner}` }, owner) : null));
    const write = () => {
      if (!block.querySelector('pre')) block.append(h('pre', null, body(resource)));
    };
    block.addEventListener('toggle', () => block.open && write());
    if (owner && openOwned) {
      write();
      block.open = true;
    }
    next.set(key, block);
    nodes.push(block);
  }
  blocks = next;
  const shown = matching.length;
  if (shown === 0) nodes.push(h('p', { class: 'muted' }, 'No resource matches the filter.'));
  return { nodes, shown, total: entries.length };
}
