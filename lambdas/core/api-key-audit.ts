import { toAuditRecord, type AuditLog, type AuditRecord } from './audit.js';
import { PARTNER_ID, sha256 } from './ids.js';
import type { PartnerPrincipal } from './partner-auth.js';
import { partnerExists } from './partners.js';
import type { Clock, Table } from './ports.js';

export interface ApiKeyAuthDeps {
  readonly table: Table;
  readonly auditLog: AuditLog;
  readonly clock: Clock;
}

export interface ApiKeyAttempt {
  readonly ip: string;
  readonly userAgent: string;
  /** The accepted partner; absent when the key was refused. */
  readonly principal?: PartnerPrincipal;
  /** The presented credential, read only to tell why it failed; never recorded. */
  readonly presented?: string;
}

const MINUTE_MS = 60_000;
/** Aggregated minutes this container already recorded, so a busy key costs no extra puts. */
const recordedMinutes = new Set<string>();

/**
 * The audit record of one API key authentication. Successes are aggregated to one record per
 * key per minute (a conditional put that only the first request of the minute wins), so a busy
 * partner does not double its write cost; failures are recorded one by one.
 */
export async function apiKeyAuthenticationRecord(
  deps: ApiKeyAuthDeps,
  attempt: ApiKeyAttempt,
): Promise<{ record: AuditRecord; aggregated: boolean }> {
  const now = deps.clock.now();
  const origin = { ip: attempt.ip, userAgent: attempt.userAgent };

  if (attempt.principal) {
    const { partnerId, keyPrefix } = attempt.principal;
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const eventId = `agg-${sha256(`${partnerId}|${keyPrefix}`).slice(0, 16)}`;
    const event = {
      ...origin,
      type: 'api_key_authenticated' as const,
      success: true,
      partnerId,
      actor: `api_key:${keyPrefix}`,
      details: { key_prefix: keyPrefix, aggregation: 'first_per_key_per_minute' },
    };
    return { record: toAuditRecord(event, minute, eventId), aggregated: true };
  }

  const { reason, partnerId } = await whyRefused(deps.table, attempt.presented);
  const event = {
    ...origin,
    type: 'api_key_authenticated' as const,
    success: false,
    reason,
    partnerId,
    actor: 'anonymous',
  };
  return { record: toAuditRecord(event, now), aggregated: false };
}

/** Records an API key authentication; see apiKeyAuthenticationRecord. */
export async function recordApiKeyAuthentication(
  deps: ApiKeyAuthDeps,
  attempt: ApiKeyAttempt,
): Promise<AuditRecord> {
  const { record, aggregated } = await apiKeyAuthenticationRecord(deps, attempt);
  if (!aggregated) {
    await deps.auditLog.record([record]);
    return record;
  }

  const seen = `${record.event_id}|${record.timestamp}`;
  if (!recordedMinutes.has(seen)) {
    await deps.auditLog.recordOnce(record);
    if (recordedMinutes.size > 10_000) recordedMinutes.clear();
    recordedMinutes.add(seen);
  }
  return record;
}

/**
 * Why a key was refused, and whose it claimed to be when that partner exists: a partner sees
 * attempts against its id in its own log. The credential itself is never kept.
 */
async function whyRefused(table: Table, presented: string | undefined) {
  if (!presented) return { reason: 'missing_credentials', partnerId: undefined };

  const claimed = /^pk_([a-z0-9-]{1,40})_./.exec(presented)?.[1];
  if (!claimed || !PARTNER_ID.test(claimed)) {
    return { reason: 'malformed_key', partnerId: undefined };
  }
  if (!(await partnerExists(table, claimed)))
    return { reason: 'unknown_key', partnerId: undefined };
  return { reason: 'bad_key', partnerId: claimed };
}
