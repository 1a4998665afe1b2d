import { AUDIT_TABLE } from '../config/table-schema.js';
import type { AuditEventType } from '../core/audit-events.js';
import type { AuditRecord } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { encodeKeyPart } from '../core/keys.js';

/**
 * How the audit table is addressed. Records live in their partner's partition sorted by
 * `<timestamp>#<event id>`; each index partition narrows that partition by a filter, keeping
 * the same sort key, so every filter and time range is a key condition. A record of a request
 * whose partner stayed unknown goes to a partition no partner can name.
 */
export const UNKNOWN_PARTNER = '_unknown';

export const recordPartition = (partnerId: string | undefined): string =>
  `PARTNER#${partnerId ?? UNKNOWN_PARTNER}`;

export const recordSortKey = (record: Pick<AuditRecord, 'timestamp' | 'event_id'>): string =>
  `${record.timestamp}#${record.event_id}`;

const typePartition = (partnerId: string | undefined, type: AuditEventType) =>
  `${recordPartition(partnerId)}#TYPE#${type}`;
const orgPartition = (partnerId: string | undefined, orgId: string) =>
  `${recordPartition(partnerId)}#ORG#${encodeKeyPart(orgId)}`;
const orgTypePartition = (partnerId: string | undefined, orgId: string, type: AuditEventType) =>
  `${orgPartition(partnerId, orgId)}#TYPE#${type}`;

/** The index partition key attributes, by index name. */
const INDEX_KEY = Object.fromEntries(AUDIT_TABLE.indexes.map((i) => [i.name, i.partitionKey]));

/** The index keys a record carries; a record without an organization is in no org index. */
export function indexKeys(record: AuditRecord): Record<string, string> {
  const { partner_id: partnerId, event_type: type, org_id: orgId } = record;
  const keys: Record<string, string> = { [INDEX_KEY['by-type']!]: typePartition(partnerId, type) };
  if (orgId !== undefined) {
    keys[INDEX_KEY['by-org']!] = orgPartition(partnerId, orgId);
    keys[INDEX_KEY['by-org-type']!] = orgTypePartition(partnerId, orgId, type);
  }
  return keys;
}

/** The index (if any) and partition a filtered query reads: every filter is a key condition. */
export function queryTarget(partnerId: string, eventType?: AuditEventType, orgId?: string) {
  const target = (index: string, value: string) => ({ index, key: INDEX_KEY[index]!, value });

  if (eventType && orgId) {
    return target('by-org-type', orgTypePartition(partnerId, orgId, eventType));
  }
  if (orgId) return target('by-org', orgPartition(partnerId, orgId));
  if (eventType) return target('by-type', typePartition(partnerId, eventType));
  return { index: undefined, key: AUDIT_TABLE.partitionKey, value: recordPartition(partnerId) };
}

/** Marks that a partner recorded something on a day, so the seal job knows whom to seal. */
export const activityKey = (date: string, partnerId: string) => ({
  pk: `DAY#${date}`,
  sk: `PARTNER#${partnerId}`,
});

export const sealKey = (partnerId: string, date: string) => ({
  pk: `SEAL#${partnerId}`,
  sk: date,
});

const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{1,64}$/;

/** A page cursor is the sort key of the last record shown; it works under any filter. */
export function encodeAuditCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ after: sortKey })).toString('base64url');
}

export function decodeAuditCursor(cursor: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof after === 'string' && SORT_KEY.test(after)) return after;
  } catch {
    // Falls through to the same answer as a cursor of the wrong shape.
  }
  throw new AppError('validation_failed', 'The cursor is not valid for this listing');
}
