#!/usr/bin/env node
'use strict';

// Prints the canary plan of a packaged service: for each function that
// deploys gradually, its alias, how traffic shifts, its hooks and the alarms
// that roll it back. Reads what `sls package` wrote, so it shows exactly what
// will be deployed.
//
//   node examples/print-plan.js examples/canary-deployments

const fs = require('node:fs');
const path = require('node:path');
const { describeDeploymentType } = require('canaria-node');

const serviceDir = process.argv[2] || path.join(__dirname, 'canary-deployments');
const templateFile = path.join(serviceDir, '.serverless', 'cloudformation-template-update-stack.json');
const { Resources: resources } = JSON.parse(fs.readFileSync(templateFile, 'utf8'));

const ref = (value) => (value && typeof value === 'object' ? value.Ref : undefined);
const functionName = (logicalId) => {
  const name = resources[logicalId] && resources[logicalId].Properties.FunctionName;
  return typeof name === 'string' ? name : logicalId;
};

const aliases = Object.entries(resources).filter(
  ([, r]) => r.Type === 'AWS::Lambda::Alias' && r.UpdatePolicy && r.UpdatePolicy.CodeDeployLambdaAliasUpdate
);
if (aliases.length === 0) {
  console.log('No function deploys gradually.');
  process.exit(0);
}

for (const [, alias] of aliases) {
  const update = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
  const group = resources[ref(update.DeploymentGroupName)].Properties;
  const sub = group.DeploymentConfigName['Fn::Sub'];
  const type = sub ? sub[1].ConfigName : JSON.stringify(group.DeploymentConfigName);
  const words = (typeof type === 'string' && describeDeploymentType(type)) || 'a custom deployment configuration';
  const hooks = [
    ['before traffic', ref(update.BeforeAllowTrafficHook)],
    ['after traffic', ref(update.AfterAllowTrafficHook)],
  ].filter(([, hook]) => hook);
  const alarms = ((group.AlarmConfiguration && group.AlarmConfiguration.Alarms) || []).map((a) =>
    ref(a.Name) ? `${ref(a.Name)} (this stack)` : `${a.Name} (by name)`
  );

  console.log(`${functionName(ref(alias.Properties.FunctionName))}`);
  console.log(`  alias    ${alias.Properties.Name}`);
  console.log(`  traffic  ${type}: ${words}`);
  console.log(`  hooks    ${hooks.length ? hooks.map(([when, h]) => `${functionName(h)} ${when}`).join(', ') : 'none'}`);
  console.log(`  alarms   ${alarms.length ? alarms.join(', ') : 'none: only a failed hook or a manual stop rolls back'}`);
}
