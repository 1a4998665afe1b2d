import type { AuditEventType } from './audit-events.js';
import { randomToken } from './ids.js';
import type { Page } from './ports.js';

/** Audit records are kept one year (plus a day, so a full year is always queryable). */
export const AUDIT_RETENTION_DAYS = 366;

/** Detail values are ids, codes, counts and flags: never free text from a caller. */
export type AuditDetails = Record<string, string | number | boolean>;

/** One event as the domain reports it; the recorder adds time, id and request context. */
export interface AuditEvent {
  readonly type: AuditEventType;
  readonly success: boolean;
  /** Why it failed: the AppError reason code, e.g. `expired`, `bad_signature`. */
  readonly reason?: string;
  readonly partnerId?: string;
  /** The partner's own organization id (the JWT's `org_id`). */
  readonly orgId?: string;
  /** The partner's own user id (the JWT's `user_id`). */
  readonly userId?: string;
  /** Our organization id (the embed-auth response's `organization_id`). */
  readonly organizationId?: string;
  /** `user:<user id>`, `api_key:<key prefix>`, `system:<job>` or `anonymous`. */
  readonly actor: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly details?: AuditDetails;
}

/** A stored audit record, in the shape partners read it. Ids only, never a secret or PII. */
export interface AuditRecord {
  readonly event_id: string;
  readonly event_type: AuditEventType;
  readonly timestamp: string;
  readonly partner_id?: string;
  readonly org_id?: string;
  readonly user_id?: string;
  readonly organization_id?: string;
  readonly actor: string;
  readonly ip: string;
  readonly user_agent: string;
  readonly success: boolean;
  readonly reason?: string;
  readonly details: AuditDetails;
}

export interface AuditQuery {
  readonly partnerId: string;
  readonly eventType?: AuditEventType;
  readonly orgId?: string;
  /** ISO 8601 instants, both inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** A signed daily digest over one partner's records of one UTC day, chained to the day before. */
export interface AuditSeal {
  readonly partner_id: string;
  /** The UTC day sealed, `YYYY-MM-DD`. */
  readonly date: string;
  readonly record_count: number;
  /** SHA-256, hex, over the previous digest and the day's records in canonical order. */
  readonly digest: string;
  /** The day of the previous seal of this partner, or absent for the first seal. */
  readonly previous_date?: string;
  readonly previous_digest: string;
  readonly sealed_at: string;
  readonly key_id: string;
  /** ECDSA P-256 SHA-256 signature, DER, base64, over the seal statement. */
  readonly signature: string;
}

/**
 * The audit store. Writers may only add records; nothing in the port updates or deletes one, and
 * in AWS the writers' IAM grants allow PutItem alone, under a condition that it adds.
 */
export interface AuditLog {
  /** Adds records. Each is new; none can replace an existing one. */
  record(records: readonly AuditRecord[]): Promise<void>;
  /** Adds a record unless one with its id and time exists; true when it was added. */
  recordOnce(record: AuditRecord): Promise<boolean>;
  /** One partner's records, newest first, filtered by key conditions only. */
  query(query: AuditQuery): Promise<Page<AuditRecord>>;
  /** Every record of a partner on one UTC day, in canonical (oldest first) order. */
  recordsOfDay(partnerId: string, date: string): Promise<AuditRecord[]>;
  /** The partners that recorded at least one event on a UTC day. */
  partnersActiveOn(date: string): Promise<string[]>;
  /** Adds a seal; fails with ConditionFailedError when the day is already sealed. */
  addSeal(seal: AuditSeal): Promise<void>;
  /** A partner's seals between two days (inclusive), oldest first. */
  seals(partnerId: string, fromDate: string, toDate: string): Promise<AuditSeal[]>;
  /** The partner's latest seal before a day. */
  latestSealBefore(partnerId: string, date: string): Promise<AuditSeal | undefined>;
}

/** Signs seal statements: a KMS asymmetric key in AWS, a local EC key file in the twin. */
export interface AuditSigner {
  keyId(): Promise<string>;
  /** ECDSA P-256 with SHA-256 over the message; DER signature, base64. */
  sign(message: string): Promise<string>;
  /** The verifying key, SPKI PEM. */
  publicKeyPem(): Promise<string>;
}

const DETAIL_KEY = /^[a-z][a-z0-9_]{0,39}$/;
/** Detail keys that could only carry what a record must never hold. */
const FORBIDDEN_DETAIL =
  /token|password|email|^name$|_name$|^value$|_value$|hash|jwt|^api_key$|^secret$|private/;
const MAX_DETAIL_TEXT = 200;

/** Turns an event into the record that is stored, stamping time, id and retention. */
export function toAuditRecord(event: AuditEvent, nowMs: number, eventId?: string): AuditRecord {
  return {
    event_id: eventId ?? randomToken(12),
    event_type: event.type,
    timestamp: new Date(nowMs).toISOString(),
    partner_id: event.partnerId,
    org_id: event.orgId,
    user_id: event.userId,
    organization_id: event.organizationId,
    actor: event.actor,
    ip: event.ip,
    user_agent: event.userAgent.slice(0, 256),
    success: event.success,
    reason: event.success ? undefined : event.reason,
    details: safeDetails(event.details ?? {}),
  };
}

/** Keeps only details that are ids, codes, counts or flags under an innocuous key. */
export function safeDetails(details: AuditDetails): AuditDetails {
  const kept: AuditDetails = {};
  for (const [key, value] of Object.entries(details)) {
    if (!DETAIL_KEY.test(key) || FORBIDDEN_DETAIL.test(key)) continue;
    if (typeof value === 'string' && value.length > MAX_DETAIL_TEXT) continue;
    kept[key] = value;
  }
  return kept;
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const utcDay = (iso: string): string => iso.slice(0, 10);
