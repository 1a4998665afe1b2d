/**
 * The physical shape of each table, shared by the CDK construct that creates it in AWS and by
 * the local twin that creates the same table in dynalite.
 */
export interface TableSchema {
  /** The table's name in the local twin; in AWS, CloudFormation names it. */
  readonly localName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Epoch seconds after which DynamoDB may delete the item. Reads treat it as gone at once. */
  readonly timeToLiveAttribute: string;
}

export const PLATFORM_TABLE: TableSchema = {
  localName: 'logicnodes-platform',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
};

export const TABLE_SCHEMAS: readonly TableSchema[] = [PLATFORM_TABLE];
