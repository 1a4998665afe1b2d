import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { dataKey } from './data-key.js';
import { ENV } from '../../lambdas/config/env-names.js';
import { AUDIT_TABLE } from '../../lambdas/config/table-schema.js';
import { lambdaEntry } from './paths.js';
import { PlatformFunction } from './platform-function.js';

/** Actions no principal may take on an audit record: only the TTL removes one. */
const FORBIDDEN_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', ...KEY_READ_ACTIONS];

/**
 * The audit log: its own table (one year TTL, customer-managed key, point-in-time recovery,
 * retained), a KMS signing key for the daily seals, and the seal job on its own schedule.
 * Writers may only add records, readers may only query, and a table policy denies every
 * principal the update and delete actions, so no runtime role can rewrite history.
 */
export class AuditLogStore extends Construct {
  readonly table: dynamodb.TableV2;
  readonly key: kms.Key;
  readonly signingKey: kms.Key;
  readonly sealJob: PlatformFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = dataKey(this, 'TableKey', { description: 'Encrypts the LogicNodes audit log' });
    this.signingKey = new kms.Key(this, 'SealSigningKey', {
      description: 'Signs the daily LogicNodes audit log seals',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: AUDIT_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: AUDIT_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: AUDIT_TABLE.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: AUDIT_TABLE.timeToLiveAttribute,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: 35,
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      resourcePolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AuditRecordsAreAppendOnly',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: FORBIDDEN_ACTIONS,
            resources: ['*'],
          }),
        ],
      }),
    });

    this.sealJob = new PlatformFunction(this, 'SealJob', {
      entry: lambdaEntry('jobs/seal-audit-log.ts'),
      description: 'daily audit log seal',
      timeout: Duration.minutes(5),
    });
    this.grantTable(this.sealJob, ['dynamodb:Query'], KEY_READ_ACTIONS);
    this.grantPut(this.sealJob, ['SEAL#*']);
    this.sealJob.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Sign', 'kms:GetPublicKey'],
        resources: [this.signingKey.keyArn],
      }),
    );
    this.sealJob.addEnvironment(ENV.auditSigningKeyArn, this.signingKey.keyArn);

    new events.Rule(this, 'SealSchedule', {
      description: 'Seals the previous UTC day of the audit log',
      schedule: events.Schedule.cron({ minute: '30', hour: '0' }),
      targets: [new targets.LambdaFunction(this.sealJob.function, { retryAttempts: 4 })],
    });
  }

  /** Lets a function add audit records, and nothing else: no update, no delete, no read. */
  grantAppend(fn: PlatformFunction): void {
    this.grantPut(fn, ['PARTNER#*', 'DAY#*']);
  }

  /** Lets a function query audit records and seals, by table and index, and nothing else. */
  grantRead(fn: PlatformFunction): void {
    this.grantTable(fn, ['dynamodb:Query'], KEY_READ_ACTIONS);
  }

  /** Lets a function fetch the public half of the seal signing key. */
  grantSigningKeyRead(fn: PlatformFunction): void {
    fn.addEnvironment(ENV.auditSigningKeyArn, this.signingKey.keyArn);
    fn.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GetPublicKey'],
        resources: [this.signingKey.keyArn],
      }),
    );
  }

  /**
   * PutItem only on items whose partition starts with one of the prefixes, and never returning
   * what it replaced. The adapter's `attribute_not_exists` condition makes every put an add.
   */
  private grantPut(fn: PlatformFunction, partitions: string[]): void {
    this.grantTable(fn, [], KEY_WRITE_ACTIONS);
    fn.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      }),
    );
  }

  private grantTable(fn: PlatformFunction, tableActions: string[], keyActions: string[]): void {
    fn.addEnvironment(ENV.auditTableName, this.table.tableName);
    if (tableActions.length > 0) {
      const indexArns = AUDIT_TABLE.indexes.map((i) => `${this.table.tableArn}/index/${i.name}`);
      fn.addToPolicy(
        new iam.PolicyStatement({
          actions: tableActions,
          resources: [this.table.tableArn, ...indexArns],
        }),
      );
    }
    fn.addToPolicy(
      new iam.PolicyStatement({
        actions: keyActions,
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
  }
}
