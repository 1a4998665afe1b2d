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
  /** Global secondary indexes, all projecting every attribute. @default none */
  readonly indexes?: readonly IndexSchema[];
}

export interface IndexSchema {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const PLATFORM_TABLE: TableSchema = {
  localName: 'logicnodes-platform',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
};

/**
 * The audit log: one partition per partner, sorted by time, and one index per filter a partner
 * may combine (event type, organization, both), so every filter is a key condition.
 */
export const AUDIT_TABLE = {
  localName: 'logicnodes-audit',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
  indexes: [
    { name: 'by-type', partitionKey: 'type_pk', sortKey: 'sk' },
    { name: 'by-org', partitionKey: 'org_pk', sortKey: 'sk' },
    { name: 'by-org-type', partitionKey: 'org_type_pk', sortKey: 'sk' },
  ],
} as const satisfies TableSchema;

export const TABLE_SCHEMAS: readonly TableSchema[] = [PLATFORM_TABLE, AUDIT_TABLE];
