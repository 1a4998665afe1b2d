import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LogicNodesStack } from '../lib/logicnodes-stack.js';

/**
 * The CDK app: one stack, in eu-north-1 unless `-c region=...` says otherwise. cdk-nag's AWS
 * Solutions checks run on every synth, so an unreviewed finding fails `cdk synth`.
 */
const app = new App();
const region = (app.node.tryGetContext('region') as string | undefined) ?? 'eu-north-1';
const stackName =
  (app.node.tryGetContext('stackName') as string | undefined) ?? 'LogicNodesPlatform';

new LogicNodesStack(app, stackName, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
  description: 'LogicNodes partner platform',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
