import { verify } from 'node:crypto';
import type { AuditLog, AuditSeal } from './audit.js';
import { dayDigest, GENESIS_DIGEST, sealStatement } from './audit-seal.js';

const DAY_MS = 86_400_000;

export interface VerifyReport {
  readonly partner_id: string;
  readonly from: string;
  readonly to: string;
  readonly ok: boolean;
  readonly sealed_days: number;
  readonly verified_records: number;
  readonly problems: readonly { readonly date: string; readonly problem: string }[];
}

/**
 * Recomputes a partner's seals between two UTC days from the records and the public key, and
 * reports every day whose records changed, appeared or went missing, every seal whose signature
 * fails, every break in the chain, and every finished day with records but no seal.
 */
export async function verifyAuditChain(
  auditLog: AuditLog,
  publicKeyPem: string,
  partnerId: string,
  range: { from: string; to: string; today: string },
): Promise<VerifyReport> {
  const problems: { date: string; problem: string }[] = [];
  const seals = await auditLog.seals(partnerId, range.from, range.to);
  const sealed = new Map(seals.map((seal) => [seal.date, seal]));
  let verifiedRecords = 0;

  let previous = await firstLink(auditLog, partnerId, seals[0], problems);
  for (const seal of seals) {
    if (previous !== undefined && seal.previous_digest !== previous.digest) {
      problems.push({ date: seal.date, problem: `chain broken after ${previous.date}` });
    }
    if (previous !== undefined && seal.previous_date !== previous.date) {
      problems.push({ date: seal.date, problem: `chain skips from ${seal.previous_date}` });
    }
    if (!signatureHolds(seal, publicKeyPem)) {
      problems.push({ date: seal.date, problem: 'seal signature does not verify' });
    }

    const records = await auditLog.recordsOfDay(partnerId, seal.date);
    const digest = dayDigest(partnerId, seal.date, seal.previous_digest, records);
    if (digest !== seal.digest) {
      const counts = `${seal.record_count} sealed, ${records.length} now`;
      problems.push({ date: seal.date, problem: `records changed since sealing (${counts})` });
    } else {
      verifiedRecords += records.length;
    }
    previous = seal;
  }

  for (const date of daysBetween(range.from, range.to)) {
    if (date >= range.today || sealed.has(date)) continue;
    const records = await auditLog.recordsOfDay(partnerId, date);
    if (records.length > 0) {
      problems.push({ date, problem: `${records.length} records on a day with no seal` });
    }
  }

  problems.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    partner_id: partnerId,
    from: range.from,
    to: range.to,
    ok: problems.length === 0,
    sealed_days: seals.length,
    verified_records: verifiedRecords,
    problems,
  };
}

/** The seal the first one in range chains to, checked to exist when it says it does. */
async function firstLink(
  auditLog: AuditLog,
  partnerId: string,
  first: AuditSeal | undefined,
  problems: { date: string; problem: string }[],
): Promise<AuditSeal | undefined> {
  if (!first) return undefined;
  const before = await auditLog.latestSealBefore(partnerId, first.date);
  if (before) return before;

  if (first.previous_date !== undefined || first.previous_digest !== GENESIS_DIGEST) {
    problems.push({
      date: first.date,
      problem: `chained seal of ${first.previous_date} is missing`,
    });
  }
  return undefined;
}

function signatureHolds(seal: AuditSeal, publicKeyPem: string): boolean {
  try {
    const statement = Buffer.from(sealStatement(seal), 'utf8');
    return verify('sha256', statement, publicKeyPem, Buffer.from(seal.signature, 'base64'));
  } catch {
    return false;
  }
}

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
