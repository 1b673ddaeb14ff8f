// The CloudFormation preview: one block per resource, canaria's added and
// rewired resources marked, JSON or YAML, filtered by logical ID or type.

import { h } from './dom.js';

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
  let shown = 0;
  for (const [id, resource] of entries) {
    const type = resource && typeof resource.Type === 'string' ? resource.Type : '';
    const owner = added.has(id) ? 'added' : rewired.has(id) ? 'rewired' : null;
    if (view.onlyCanaria && !owner) continue;
    if (needle && !id.toLowerCase().includes(needle) && !type.toLowerCase().includes(needle)) continue;
    shown += 1;
    nodes.push(
      h('details', { class: `resource${owner ? ` ${owner}` : ''}`, dataset: { logicalId: id }, open: owner ? true : undefined },
        h('summary', null, h('code', { class: 'logical-id' }, id), ' ', h('span', { class: 'type' }, type), owner ? h('span', { class: `badge ${owner}` }, owner) : null),
        h('pre', null, body(resource))));
  }
  if (shown === 0) nodes.push(h('p', { class: 'muted' }, 'No resource matches the filter.'));
  return { nodes, shown, total: entries.length };
}
