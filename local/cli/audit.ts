import { DynamoAuditLog } from '../../lambdas/adapters/dynamo-audit-log.js';
import { FileAuditSigner } from '../../lambdas/adapters/file-audit-signer.js';
import { KmsAuditSigner } from '../../lambdas/adapters/kms-audit-signer.js';
import { ENV } from '../../lambdas/config/env-names.js';
import { AUDIT_TABLE } from '../../lambdas/config/table-schema.js';
import { sealActivePartners, sealDay } from '../../lambdas/core/audit-seal.js';
import { verifyAuditChain } from '../../lambdas/core/audit-verify.js';
import type { AuditLog, AuditSigner } from '../../lambdas/core/audit.js';
import { systemClock } from '../../lambdas/core/ports.js';
import { localDataDir } from '../data-dir.js';
import { auditSigningKeyPath } from '../local-runtime.js';
import { localDynamoConfig, openLocalStore } from '../store.js';
import { readOptions, UsageError } from './args.js';

export const auditVerifyUsage = 'audit verify --partner ID [--from YYYY-MM-DD] [--to YYYY-MM-DD]';
export const auditSealUsage = 'audit seal [--date YYYY-MM-DD [--partner ID]]';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Recomputes a partner's daily seals from its records and the signing key, and fails (exit code
 * 1) on any record changed or removed, any bad signature, any break in the chain, or any
 * finished day with records but no seal.
 */
export async function auditVerify(args: string[]): Promise<unknown> {
  const options = readOptions(args, {
    partner: { type: 'string', required: true },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  const today = new Date(systemClock.now()).toISOString().slice(0, 10);
  const to = day(options.to, 'to') ?? today;
  const from =
    day(options.from, 'from') ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString().slice(0, 10);

  const audit = await openAudit();
  try {
    const publicKey = await audit.signer.publicKeyPem();
    const report = await verifyAuditChain(audit.log, publicKey, options.partner!, {
      from,
      to,
      today,
    });
    if (report.ok) return report;

    console.log(JSON.stringify(report, null, 2));
    throw new Error(`audit verification failed with ${report.problems.length} problem(s)`);
  } finally {
    await audit.release();
  }
}

/** Seals a finished UTC day (yesterday by default), as the daily job does in AWS. */
export async function auditSeal(args: string[]): Promise<unknown> {
  const options = readOptions(args, { date: { type: 'string' }, partner: { type: 'string' } });
  const date = day(options.date, 'date');

  const audit = await openAudit();
  try {
    const deps = { auditLog: audit.log, auditSigner: audit.signer, clock: systemClock };
    if (options.partner) {
      if (!date) throw new UsageError('--partner needs --date');
      return { date, outcomes: { [options.partner]: await sealDay(deps, options.partner, date) } };
    }
    return await sealActivePartners(deps, date);
  } finally {
    await audit.release();
  }
}

function day(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !DAY.test(value)) throw new UsageError(`--${name} must be YYYY-MM-DD`);
  return value;
}

/**
 * The audit log a command acts on: a deployed one when `LOGICNODES_AUDIT_TABLE_NAME` (and the
 * signing key ARN) are set, otherwise the local twin's (borrowed from a running twin, or opened).
 */
async function openAudit(): Promise<{
  log: AuditLog;
  signer: AuditSigner;
  release(): Promise<void>;
}> {
  const tableName = process.env[ENV.auditTableName];
  if (tableName) {
    const keyArn = process.env[ENV.auditSigningKeyArn];
    if (!keyArn) throw new UsageError(`${ENV.auditSigningKeyArn} must name the signing key`);
    return {
      log: new DynamoAuditLog(tableName),
      signer: new KmsAuditSigner(keyArn),
      release: async () => {},
    };
  }

  const dataDir = localDataDir();
  const store = await openLocalStore(dataDir, 'cli');
  return {
    log: new DynamoAuditLog(AUDIT_TABLE.localName, localDynamoConfig(store.endpoint)),
    signer: new FileAuditSigner(auditSigningKeyPath(dataDir)),
    release: () => store.close(),
  };
}
