// The examples the loader offers.

import origin from '../../examples/canary-deployments/serverless.yml';

const TYPES = [
  'Linear10PercentEvery1Minute',
  'Canary10Percent5Minutes',
  'Linear10PercentEvery2Minutes',
  'Canary10Percent15Minutes',
  'AllAtOnce',
  'Linear10PercentEvery10Minutes',
  'Canary10Percent30Minutes',
];

/**
 * A service of `count` functions, each behind a canary with its own error
 * alarm, hooks on every third, alarms notifying one topic: the editor's
 * larger example and the benchmark's input.
 */
export function generated(count = 100) {
  const lines = [
    'service: fleet',
    "frameworkVersion: '3'",
    '',
    'provider:',
    '  name: aws',
    '  runtime: nodejs18.x',
    '',
    'plugins:',
    '  - serverless-canaria',
    '',
    'custom:',
    '  alerts:',
    '    topics:',
    '      alarm:',
    '        topic: ${self:service}-${sls:stage}-alerts',
    '    alarms:',
    '      - functionThrottles',
    '',
    'functions:',
    '  preHook:',
    '    handler: hooks.pre',
    '  postHook:',
    '    handler: hooks.post',
  ];
  for (let i = 1; i <= count; i += 1) {
    const name = `worker${String(i).padStart(3, '0')}`;
    const logical = name.charAt(0).toUpperCase() + name.slice(1);
    lines.push(
      `  ${name}:`,
      `    handler: src/${name}.handler`,
      '    events:',
      `      - http: GET /${name}`,
      '    alarms:',
      '      - functionErrors',
      '    deploymentSettings:',
      `      type: ${TYPES[i % TYPES.length]}`,
      '      alias: Live',
    );
    if (i % 3 === 0) lines.push('      preTrafficHook: preHook', '      postTrafficHook: postHook');
    lines.push('      alarms:', `        - ${logical}FunctionErrorsAlarm`);
  }
  return lines.join('\n') + '\n';
}

export const EXAMPLES = {
  origin: () => origin,
  large: () => generated(100),
};
