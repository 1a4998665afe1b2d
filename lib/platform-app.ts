import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LogicNodesStack } from './logicnodes-stack.js';

/** eu-north-1 (Stockholm) is where the spec promises partners their data lives. */
export const DEFAULT_REGION = 'eu-north-1';
export const DEFAULT_STACK_NAME = 'LogicNodesPlatform';

/**
 * Adds the platform stack to a CDK app, read from context once: `region` moves a deployment
 * elsewhere, `stackName` names it, and `apiGatewayAccountLogging=false` leaves the account's
 * API Gateway logging role to another stack in the same account and region. cdk-nag's AWS
 * Solutions checks run on every synthesis, so an unreviewed finding fails `cdk synth`.
 */
export function configurePlatformApp(app: App, options: { nag?: boolean } = {}): LogicNodesStack {
  const region = (app.node.tryGetContext('region') as string | undefined) ?? DEFAULT_REGION;
  const stackName =
    (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;

  const stack = new LogicNodesStack(app, stackName, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
    description: 'LogicNodes partner platform',
    manageAccountLogging: String(app.node.tryGetContext('apiGatewayAccountLogging')) !== 'false',
  });
  if (options.nag ?? true) {
    // Reasons land in the template's Metadata, where security reviewers read them.
    const checks = new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true });
    Validations.of(app).addPlugins(checks);
  }
  return stack;
}
