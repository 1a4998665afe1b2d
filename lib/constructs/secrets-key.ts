import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { dataKey } from './data-key.js';
import { ENV } from '../../lambdas/config/env-names.js';
import type { PlatformFunction } from './platform-function.js';

/**
 * What the account itself may do with the key: administer it, so it can never be locked out, but
 * no cryptographic operation and no grant creation. Encrypt and Decrypt are allowed only to the
 * function roles the key policy names, so no IAM policy elsewhere in the account can reach them.
 */
const ADMIN_ACTIONS = [
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** The encryption context every secret carries; requests without exactly these keys fail. */
const CONTEXT_KEYS = ['partner_id', 'organization_id', 'secret_key'];

export interface SecretsKeyProps {
  /** Waiting period before a scheduled deletion of the key. @default Duration.days(30) */
  readonly pendingWindow?: Duration;
}

/**
 * The customer-managed KMS key for organization secrets, apart from the table key: it rotates
 * yearly, is retained if the stack is deleted, and its key policy names each role that may use
 * it. Routes that write secrets get `grantEncrypt`; only a function that runs agents may get
 * `grantDecrypt`, so every other role is unable to decrypt by construction.
 */
export class SecretsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: SecretsKeyProps = {}) {
    super(scope, id);

    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AdministerWithoutUsing',
          principals: [new iam.AccountRootPrincipal()],
          actions: ADMIN_ACTIONS,
          resources: ['*'],
        }),
      ],
    });

    this.key = dataKey(this, 'Key', {
      description: 'Encrypts LogicNodes organization secrets',
      pendingWindow: props.pendingWindow,
      policy,
    });
  }

  /** Lets a function that writes secrets encrypt them, and tells it which key to use. */
  grantEncrypt(fn: PlatformFunction): void {
    this.grant(fn, 'kms:Encrypt');
  }

  /**
   * Lets a function decrypt secrets. Reserved for the agent runtime, the one place values are
   * meant to leave the backend's storage (into an agent execution); no route should have it.
   */
  grantDecrypt(fn: PlatformFunction): void {
    this.grant(fn, 'kms:Decrypt');
  }

  /** Both halves: the role's own policy and the key policy must allow, with the context. */
  private grant(fn: PlatformFunction, action: string): void {
    fn.addEnvironment(ENV.secretsKeyArn, this.key.keyArn);
    const conditions = {
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': CONTEXT_KEYS },
      Null: Object.fromEntries(
        CONTEXT_KEYS.map((name) => [`kms:EncryptionContext:${name}`, 'false']),
      ),
    };

    fn.addToPolicy(
      new iam.PolicyStatement({ actions: [action], resources: [this.key.keyArn], conditions }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [fn.role],
        actions: [action],
        resources: ['*'],
        conditions,
      }),
    );
  }
}
