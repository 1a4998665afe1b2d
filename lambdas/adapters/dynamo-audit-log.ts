import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_RETENTION_DAYS,
  utcDay,
  type AuditLog,
  type AuditQuery,
  type AuditRecord,
  type AuditSeal,
} from '../core/audit.js';
import { ConditionFailedError } from '../core/errors.js';
import type { Page } from '../core/ports.js';
import {
  activityKey,
  decodeAuditCursor,
  encodeAuditCursor,
  indexKeys,
  queryTarget,
  recordPartition,
  recordSortKey,
  sealKey,
} from './audit-keys.js';

const KEY_ATTRIBUTES = ['pk', 'sk', 'type_pk', 'org_pk', 'org_type_pk', 'ttl'];
const DAY_SECONDS = 86_400;

/**
 * The audit log over the DynamoDB API: its own table in AWS, a dynalite table in the twin.
 * Every write is a put that must add (`attribute_not_exists`), so even a caller with the put
 * grant cannot replace a record through this adapter; IAM allows writers nothing else.
 */
export class DynamoAuditLog implements AuditLog {
  private readonly client: DynamoDBDocumentClient;
  /** Days on which this container already marked a partner active, to save repeated puts. */
  private readonly markedActive = new Set<string>();

  constructor(
    private readonly tableName: string,
    config: DynamoDBClientConfig = {},
  ) {
    this.client = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async record(records: readonly AuditRecord[]): Promise<void> {
    await Promise.all(records.map((record) => this.add(record)));
  }

  async recordOnce(record: AuditRecord): Promise<boolean> {
    try {
      await this.add(record);
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  async query(query: AuditQuery): Promise<Page<AuditRecord>> {
    const target = queryTarget(query.partnerId, query.eventType, query.orgId);
    const range = sortKeyRange(query.from, query.to);
    const after = query.cursor ? decodeAuditCursor(query.cursor) : undefined;

    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: target.index,
        KeyConditionExpression: `#p = :p${range.condition}`,
        ExpressionAttributeNames: { '#p': target.key, ...range.names },
        ExpressionAttributeValues: { ':p': target.value, ...range.values },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: after
          ? { pk: recordPartition(query.partnerId), sk: after, [target.key]: target.value }
          : undefined,
      }),
    );
    const items = (result.Items ?? []).map(toRecord);
    const last = result.LastEvaluatedKey?.sk;
    return { items, cursor: typeof last === 'string' ? encodeAuditCursor(last) : undefined };
  }

  async recordsOfDay(partnerId: string, date: string): Promise<AuditRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':p': recordPartition(partnerId),
        ':from': `${date}T`,
        ':to': `${date}T~`,
      },
    });
    return items.map(toRecord);
  }

  async partnersActiveOn(date: string): Promise<string[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': activityKey(date, '').pk },
    });
    return items.map((item) => String(item.sk).slice('PARTNER#'.length));
  }

  async addSeal(seal: AuditSeal): Promise<void> {
    await this.putNew({ ...sealKey(seal.partner_id, seal.date), ...seal, ttl: expiry(seal.date) });
  }

  async seals(partnerId: string, fromDate: string, toDate: string): Promise<AuditSeal[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':p': sealKey(partnerId, '').pk,
        ':from': fromDate,
        ':to': toDate,
      },
    });
    return items.map(withoutKeys) as unknown as AuditSeal[];
  }

  async latestSealBefore(partnerId: string, date: string): Promise<AuditSeal | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND sk < :date',
        ExpressionAttributeValues: { ':p': sealKey(partnerId, '').pk, ':date': date },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? (withoutKeys(item) as unknown as AuditSeal) : undefined;
  }

  private async add(record: AuditRecord): Promise<void> {
    if (record.partner_id !== undefined) await this.markActive(record);

    await this.putNew({
      pk: recordPartition(record.partner_id),
      sk: recordSortKey(record),
      ...indexKeys(record),
      ...record,
      ttl: expiry(record.timestamp),
    });
  }

  /** Marked before the record is added, so a record never exists on a day nobody will seal. */
  private async markActive(record: AuditRecord): Promise<void> {
    const key = activityKey(utcDay(record.timestamp), record.partner_id!);
    const seen = `${key.pk}|${key.sk}`;
    if (this.markedActive.has(seen)) return;

    try {
      await this.putNew({ ...key, ttl: expiry(record.timestamp) });
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    this.markedActive.add(seen);
  }

  private async putNew(item: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw new ConditionFailedError(error);
      }
      throw error;
    }
  }

  private async queryAll(
    input: Pick<QueryCommand['input'], 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...input,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** Key conditions for an inclusive time range on the `<timestamp>#<id>` sort key. */
function sortKeyRange(from?: string, to?: string) {
  const names = { '#s': 'sk' };
  if (from && to) {
    return {
      condition: ' AND #s BETWEEN :from AND :to',
      names,
      values: { ':from': from, ':to': `${to}#~` },
    };
  }
  if (from) return { condition: ' AND #s >= :from', names, values: { ':from': from } };
  if (to) return { condition: ' AND #s <= :to', names, values: { ':to': `${to}#~` } };
  return { condition: '', names: {}, values: {} };
}

/** TTL in epoch seconds: one retention period after the record's (or sealed day's) time. */
function expiry(isoOrDay: string): number {
  const epoch = Math.floor(
    Date.parse(isoOrDay.length === 10 ? `${isoOrDay}T00:00:00Z` : isoOrDay) / 1000,
  );
  return epoch + AUDIT_RETENTION_DAYS * DAY_SECONDS;
}

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !KEY_ATTRIBUTES.includes(key)));
}

function toRecord(item: Record<string, unknown>): AuditRecord {
  return withoutKeys(item) as unknown as AuditRecord;
}
