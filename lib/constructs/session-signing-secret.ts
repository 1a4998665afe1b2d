import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names.js';
import { PlatformFunction } from './platform-function.js';
import { lambdaEntry } from './paths.js';

export interface SessionSigningSecretProps {
  /** How often the key is replaced. @default Duration.days(30) */
  readonly rotateEvery?: Duration;
}

/**
 * The key that signs the platform's session access tokens, generated at deploy time and never
 * seen by a person. It rotates on a schedule; handlers verify with the current and previous
 * versions, so a rotation logs nobody out.
 */
export class SessionSigningSecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: SessionSigningSecretProps = {}) {
    super(scope, id);

    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Signs LogicNodes session access tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // The rotation schedule denies the account DeleteSecret, so the secret outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const rotation = new PlatformFunction(this, 'Rotation', {
      entry: lambdaEntry('jobs/rotate-session-key.ts'),
      description: 'session signing key rotation',
      memorySize: 256,
      timeout: Duration.seconds(30),
    });
    this.secret.addRotationSchedule('Schedule', {
      rotationLambda: rotation.function,
      automaticallyAfter: props.rotateEvery ?? Duration.days(30),
    });
    Validations.of(rotation.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and secretsmanager:GetRandomPassword (granted by CDK to every rotation ' +
        'function) support no resource-level permissions. Every action on the secret itself is ' +
        'scoped to this one secret.',
    });
  }

  /** Lets a function read the signing key versions and tells it where they are. */
  grantRead(fn: PlatformFunction): void {
    fn.addEnvironment(ENV.sessionSecretArn, this.secret.secretArn);
    fn.addToPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );
  }
}
