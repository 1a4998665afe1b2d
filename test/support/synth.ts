import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LogicNodesStack } from '../../lib/logicnodes-stack.js';

export interface SynthResult {
  readonly template: Record<string, any>;
  /** The error cdk-nag raised, or undefined when every finding is fixed or acknowledged. */
  readonly nagError?: string;
}

/** Synthesizes the stack as `cdk synth` does, with the cdk-nag AWS Solutions checks on. */
export async function synthesizePlatform(
  outdir: string,
  region = 'eu-north-1',
): Promise<SynthResult> {
  const build = (withNag: boolean) => {
    const app = new App({ outdir });
    const stack = new LogicNodesStack(app, 'LogicNodesPlatform', {
      env: { account: '123456789012', region },
    });
    if (withNag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return { app, stack };
  };

  const { app, stack } = build(true);
  try {
    const assembly = app.synth();
    return { template: assembly.getStackByName(stack.stackName).template };
  } catch (error) {
    const plain = build(false);
    const assembly = plain.app.synth();
    return {
      template: assembly.getStackByName(plain.stack.stackName).template,
      nagError: (error as Error).message,
    };
  }
}
