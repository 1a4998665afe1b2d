import { createHash } from 'node:crypto';
import type { AuditLog, AuditRecord, AuditSeal, AuditSigner } from './audit.js';
import { ConditionFailedError } from './errors.js';
import type { Clock } from './ports.js';

/** The digest a partner's first seal chains to. */
export const GENESIS_DIGEST = '0'.repeat(64);
const DAY_MS = 86_400_000;

/** A record as one line: its public fields as JSON with keys sorted, at every depth. */
export function canonicalLine(record: AuditRecord): string {
  return JSON.stringify(sortKeys(record));
}

/**
 * SHA-256 (hex) over the previous digest and one day's records in canonical order (the order of
 * their `timestamp#event_id` keys). Changing, adding or removing any record changes it.
 */
export function dayDigest(
  partnerId: string,
  date: string,
  previousDigest: string,
  records: readonly AuditRecord[],
): string {
  const hash = createHash('sha256');
  hash.update(`logicnodes-audit-day-v1\n${partnerId}\n${date}\n${previousDigest}\n`);
  for (const record of records) hash.update(canonicalLine(record) + '\n');
  return hash.digest('hex');
}

/** The text a seal's signature covers. */
export function sealStatement(seal: Omit<AuditSeal, 'signature' | 'key_id' | 'sealed_at'>) {
  return [
    'logicnodes-audit-seal-v1',
    seal.partner_id,
    seal.date,
    String(seal.record_count),
    seal.previous_date ?? '-',
    seal.previous_digest,
    seal.digest,
  ].join('\n');
}

export interface SealDeps {
  readonly auditLog: AuditLog;
  readonly auditSigner: AuditSigner;
  readonly clock: Clock;
}

export type SealOutcome =
  | { readonly status: 'sealed'; readonly seal: AuditSeal }
  | { readonly status: 'skipped'; readonly why: string };

/**
 * Seals one partner's UTC day: digest its records chained to the partner's latest earlier seal,
 * sign, and add the seal. A day that is already sealed, not over yet, or older than the latest
 * seal is left alone, so the chain only ever grows forward.
 */
export async function sealDay(deps: SealDeps, partnerId: string, date: string) {
  if (Date.parse(`${date}T00:00:00Z`) + DAY_MS > deps.clock.now()) {
    return skipped(`${date} is not over yet`);
  }
  const existing = await deps.auditLog.seals(partnerId, date, '9999-12-31');
  if (existing.some((seal) => seal.date === date)) return skipped(`${date} is sealed already`);
  if (existing.length > 0) return skipped(`a later day (${existing[0]!.date}) is sealed`);

  const previous = await deps.auditLog.latestSealBefore(partnerId, date);
  const records = await deps.auditLog.recordsOfDay(partnerId, date);
  const unsigned = {
    partner_id: partnerId,
    date,
    record_count: records.length,
    previous_date: previous?.date,
    previous_digest: previous?.digest ?? GENESIS_DIGEST,
    digest: dayDigest(partnerId, date, previous?.digest ?? GENESIS_DIGEST, records),
  };
  const seal: AuditSeal = {
    ...unsigned,
    sealed_at: new Date(deps.clock.now()).toISOString(),
    key_id: await deps.auditSigner.keyId(),
    signature: await deps.auditSigner.sign(sealStatement(unsigned)),
  };

  try {
    await deps.auditLog.addSeal(seal);
  } catch (error) {
    if (error instanceof ConditionFailedError) return skipped(`${date} is sealed already`);
    throw error;
  }
  return { status: 'sealed', seal } as const;
}

/** Seals the given UTC day (by default the one before today) for every partner active on it. */
export async function sealActivePartners(deps: SealDeps, date = previousUtcDay(deps.clock)) {
  const partners = await deps.auditLog.partnersActiveOn(date);
  const outcomes: Record<string, SealOutcome> = {};
  for (const partnerId of partners) outcomes[partnerId] = await sealDay(deps, partnerId, date);
  return { date, outcomes };
}

export function previousUtcDay(clock: Clock): string {
  return new Date(clock.now() - DAY_MS).toISOString().slice(0, 10);
}

const skipped = (why: string): SealOutcome => ({ status: 'skipped', why });

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
