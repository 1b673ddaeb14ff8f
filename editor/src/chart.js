// The traffic-shift timeline of one deployment: percent of traffic on the
// new version against minutes, as SVG. The schedule comes from the engine's
// `trafficShift` (the core's reading of the deployment type); the hooks and
// the alarm checkpoints are marked on it.

import { h, s } from './dom.js';

const W = 520;
const H = 200;
const M = { left: 44, right: 24, top: 16, bottom: 34 };

/**
 * @param deployment one entry of template.deployments()
 * @param shift the parsed `trafficShift` result, or null for a type that is not predefined
 */
export function chart(deployment, shift) {
  const title = h('h3', null, deployment.function, ' ', h('span', { class: 'muted' }, `alias ${deployment.alias} · ${deployment.type}`));
  if (!shift) {
    return h('figure', { class: 'chart', dataset: { function: deployment.function } }, title,
      h('p', { class: 'muted' }, `No chart: "${deployment.type}" is not one of CodeDeploy's predefined Lambda deployment types.`));
  }
  const total = Math.max(shift.totalMinutes, 1);
  const x = (minute) => M.left + (minute / total) * (W - M.left - M.right);
  const y = (percent) => H - M.bottom - (percent / 100) * (H - M.top - M.bottom);

  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'traffic', role: 'img', 'aria-label': `${deployment.function}: ${shift.description}` });
  // Axes and grid.
  for (const percent of [0, 25, 50, 75, 100]) {
    svg.append(s('line', { x1: M.left, x2: W - M.right, y1: y(percent), y2: y(percent), class: 'grid' }));
    svg.append(s('text', { x: M.left - 6, y: y(percent) + 4, class: 'tick', 'text-anchor': 'end' }, `${percent}%`));
  }
  const tickEvery = total <= 12 ? 1 : total <= 30 ? 3 : 5;
  for (let minute = 0; minute <= total; minute += tickEvery) {
    svg.append(s('text', { x: x(minute), y: H - M.bottom + 16, class: 'tick', 'text-anchor': 'middle' }, String(minute)));
  }
  svg.append(s('text', { x: (M.left + W - M.right) / 2, y: H - 4, class: 'axis', 'text-anchor': 'middle' }, 'minutes since the deployment started'));

  // The schedule as a step line: 0% until the first shift, then each step.
  let d = `M ${x(0)} ${y(0)}`;
  for (const step of shift.steps) d += ` H ${x(step.minute)} V ${y(step.percent)}`;
  d += ` H ${x(total)}`;
  svg.append(s('path', { d, class: 'shift' }));
  for (const step of shift.steps) {
    svg.append(s('circle', { cx: x(step.minute), cy: y(step.percent), r: 3, class: 'step' },
      s('title', null, `minute ${step.minute}: ${step.percent}% on the new version`)));
  }

  // CodeDeploy checks the alarms before every shift after the first.
  const alarms = deployment.alarms.map((a) => a.name);
  if (alarms.length > 0) {
    for (const step of shift.steps.slice(1)) {
      svg.append(s('path', { d: `M ${x(step.minute)} ${y(0) - 7} l 5 7 l -5 7 l -5 -7 z`, class: 'checkpoint' },
        s('title', null, `minute ${step.minute}: alarms checked before the shift: ${alarms.join(', ')}`)));
    }
  }
  if (deployment.preTrafficHook) {
    svg.append(s('g', { class: 'hook pre' },
      s('line', { x1: x(0), x2: x(0), y1: y(100), y2: y(0) }),
      s('text', { x: x(0) + 4, y: y(100) - 4 }, `pre: ${deployment.preTrafficHook}`)));
  }
  if (deployment.postTrafficHook) {
    svg.append(s('g', { class: 'hook post' },
      s('line', { x1: x(total), x2: x(total), y1: y(100), y2: y(0) }),
      s('text', { x: x(total) - 4, y: y(100) - 4, 'text-anchor': 'end' }, `post: ${deployment.postTrafficHook}`)));
  }

  const caption = h('figcaption', null, shift.description, '. ',
    deployment.preTrafficHook ? `Before any traffic moves, ${deployment.preTrafficHook} runs. ` : '',
    alarms.length > 0 ? `Alarms checked at each ◆: ${alarms.join(', ')}. ` : 'No alarm gates this deployment. ',
    deployment.postTrafficHook ? `After all traffic has moved, ${deployment.postTrafficHook} runs.` : '');
  return h('figure', { class: 'chart', dataset: { function: deployment.function, type: deployment.type } }, title, svg, caption);
}
