// What the editor reads out of a compiled template: the canary deployments
// (alias, deployment group, type, hooks, alarms) and the alarm wiring (which
// alarms gate which deployment group, and which topics they notify). All of
// it is in the template canaria writes; nothing is re-derived from YAML.

function refOf(value) {
  return value && typeof value === 'object' && typeof value.Ref === 'string' ? value.Ref : null;
}

/** A template value in words: `Ref` → the logical ID, text as is, the rest as compact JSON. */
export function show(value) {
  if (typeof value === 'string') return value;
  const ref = refOf(value);
  if (ref) return ref;
  if (value && typeof value === 'object' && Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'].join('.');
  return JSON.stringify(value);
}

/** `CodeDeployDefault.Lambda${ConfigName}` with its `ConfigName`, as canaria writes it, or a literal name. */
function deploymentType(config) {
  const sub = config && config['Fn::Sub'];
  if (Array.isArray(sub) && typeof sub[0] === 'string' && sub[1] && typeof sub[1] === 'object') {
    const name = sub[1].ConfigName;
    if (typeof name === 'string' && sub[0] === 'CodeDeployDefault.Lambda${ConfigName}') return name;
  }
  if (typeof config === 'string') return config.replace(/^CodeDeployDefault\.Lambda/, '');
  return show(config);
}

/** Logical IDs of the template's Lambda functions, by logical ID → the key under `functions:`. */
function functionKeys(resources, serviceFunctions) {
  const byLogicalId = new Map();
  for (const key of Object.keys(serviceFunctions ?? {})) {
    // The Framework's getNormalizedFunctionName: first letter up, `-` → Dash, `_` → Underscore.
    const normalized = key.charAt(0).toUpperCase() + key.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
    byLogicalId.set(`${normalized}LambdaFunction`, key);
  }
  return (logicalId) => byLogicalId.get(logicalId) ?? logicalId;
}

/**
 * The canary deployments of a template: one per alias with a CodeDeploy
 * UpdatePolicy, in template order.
 */
export function deployments(template, serviceFunctions) {
  const resources = (template && template.Resources) || {};
  const name = functionKeys(resources, serviceFunctions);
  const found = [];
  for (const [aliasId, alias] of Object.entries(resources)) {
    const update = alias && alias.Type === 'AWS::Lambda::Alias' && alias.UpdatePolicy && alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
    if (!update) continue;
    const functionId = refOf(alias.Properties && alias.Properties.FunctionName);
    const groupId = refOf(update.DeploymentGroupName);
    const group = groupId ? resources[groupId] : null;
    const props = (group && group.Properties) || {};
    const alarms = ((props.AlarmConfiguration && props.AlarmConfiguration.Alarms) || []).map((alarm) => {
      const ref = refOf(alarm && alarm.Name);
      return ref ? { logicalId: ref, name: ref, inStack: Boolean(resources[ref]) } : { logicalId: null, name: show(alarm && alarm.Name), inStack: false };
    });
    const hook = (key) => {
      const ref = refOf(update[key]);
      return ref ? name(ref) : update[key] ? show(update[key]) : null;
    };
    found.push({
      function: functionId ? name(functionId) : show(alias.Properties && alias.Properties.FunctionName),
      functionId,
      alias: show(alias.Properties && alias.Properties.Name),
      aliasId,
      groupId,
      type: deploymentType(props.DeploymentConfigName),
      preTrafficHook: hook('BeforeAllowTrafficHook'),
      postTrafficHook: hook('AfterAllowTrafficHook'),
      alarms,
    });
  }
  return found;
}

const ACTIONS = [
  ['AlarmActions', 'ALARM'],
  ['OKActions', 'OK'],
  ['InsufficientDataActions', 'INSUFFICIENT_DATA'],
];

/** The topics an alarm resource notifies, by state. */
function notifications(resources, alarm) {
  const props = (alarm && alarm.Properties) || {};
  const found = [];
  for (const [key, state] of ACTIONS) {
    for (const action of Array.isArray(props[key]) ? props[key] : []) {
      const ref = refOf(action);
      const topic = ref && resources[ref];
      const topicName = topic && topic.Properties && topic.Properties.TopicName;
      found.push({ state, target: ref ?? show(action), topicName: topicName ? show(topicName) : null });
    }
  }
  return found;
}

/**
 * The alarm wiring: for each deployment, the alarms that stop and roll it
 * back, each with the topics it notifies; then the stack's other alarms,
 * which notify but gate nothing.
 */
export function wiring(template, serviceFunctions) {
  const resources = (template && template.Resources) || {};
  const gated = new Set();
  const groups = deployments(template, serviceFunctions).map((deployment) => ({
    function: deployment.function,
    groupId: deployment.groupId,
    alarms: deployment.alarms.map((alarm) => {
      if (alarm.logicalId) gated.add(alarm.logicalId);
      const resource = alarm.logicalId ? resources[alarm.logicalId] : null;
      return { ...alarm, notifies: resource ? notifications(resources, resource) : [] };
    }),
  }));
  const ungated = Object.entries(resources)
    .filter(([id, r]) => r && r.Type === 'AWS::CloudWatch::Alarm' && !gated.has(id))
    .map(([id, r]) => ({ logicalId: id, notifies: notifications(resources, r) }));
  return { groups, ungated };
}
