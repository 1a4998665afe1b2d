import { App } from 'aws-cdk-lib';
import { configurePlatformApp } from '../../lib/platform-app.js';

export interface SynthResult {
  readonly template: Record<string, any>;
  /** The error cdk-nag raised, or undefined when every finding is fixed or acknowledged. */
  readonly nagError?: string;
}

/**
 * Synthesizes the platform exactly as `cdk synth` does, cdk-nag included. When cdk-nag fails
 * the synthesis, its report is kept and the template is produced once more without it, so the
 * other template tests still run.
 */
export function synthesizePlatform(outdir: string, context: Record<string, unknown> = {}) {
  try {
    return { template: synthTemplate(outdir, context, true) };
  } catch (error) {
    return { template: synthTemplate(outdir, context, false), nagError: (error as Error).message };
  }
}

function synthTemplate(outdir: string, context: Record<string, unknown>, withNag: boolean) {
  const app = new App({ outdir, context });
  const stack = configurePlatformApp(app, { nag: withNag });
  return app.synth().getStackByName(stack.stackName).template as Record<string, any>;
}
