import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface DataKeyProps {
  readonly description: string;
  /** A key policy of its own. @default the account administers the key through IAM */
  readonly policy?: iam.PolicyDocument;
  /** @default Duration.days(30) */
  readonly pendingWindow?: Duration;
}

/**
 * A customer-managed key for data the platform keeps: it rotates yearly, outlives the stack
 * (data encrypted under it may be retained), and cannot be deleted without a 30-day wait.
 */
export function dataKey(scope: Construct, id: string, props: DataKeyProps): kms.Key {
  return new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
    pendingWindow: props.pendingWindow ?? Duration.days(30),
    policy: props.policy,
  });
}
