import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { dataKey } from './data-key.js';
import { ENV } from '../../lambdas/config/env-names.js';
import { PLATFORM_TABLE } from '../../lambdas/config/table-schema.js';
import type { PlatformFunction } from './platform-function.js';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const DELETE_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** What a caller needs of the table's KMS key, through DynamoDB only, to read and to write. */
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = [
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * The platform table: tenant data partitioned by organization, on-demand, encrypted with a
 * customer-managed key that rotates, 30 days of point-in-time recovery, protected from deletion
 * and kept if the stack is ever deleted.
 */
export class PlatformData extends Construct {
  readonly table: dynamodb.TableV2;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = dataKey(this, 'TableKey', { description: 'Encrypts the LogicNodes platform table' });

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: PLATFORM_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: PLATFORM_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: PLATFORM_TABLE.timeToLiveAttribute,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: 30,
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Lets a function read items (get, query) and tells it the table's name. */
  grantRead(fn: PlatformFunction): void {
    this.grant(fn, READ_ACTIONS, KEY_READ_ACTIONS);
  }

  /** Lets a function create and change items and tells it the table's name. */
  grantWrite(fn: PlatformFunction): void {
    this.grant(fn, WRITE_ACTIONS, [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS]);
  }

  /** Lets a function delete items; only routes that end sessions or remove data need it. */
  grantDelete(fn: PlatformFunction): void {
    this.grant(fn, DELETE_ACTIONS, KEY_READ_ACTIONS);
  }

  private grant(fn: PlatformFunction, tableActions: string[], keyActions: string[]): void {
    fn.addEnvironment(ENV.tableName, this.table.tableName);
    fn.addToPolicy(
      new iam.PolicyStatement({ actions: tableActions, resources: [this.table.tableArn] }),
    );
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
