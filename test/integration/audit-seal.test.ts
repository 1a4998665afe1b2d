import { verify } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_TABLE } from '../../lambdas/config/table-schema.js';
import {
  GENESIS_DIGEST,
  sealDay,
  sealStatement,
  type SealDeps,
} from '../../lambdas/core/audit-seal.js';
import { toAuditRecord } from '../../lambdas/core/audit.js';
import { handler as digestsHandler } from '../../lambdas/handlers/audit-log-digests.js';
import { handler as sealJob } from '../../lambdas/jobs/seal-audit-log.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { main } from '../../local/cli/main.js';
import { partnerEvent } from '../support/secrets.js';
import { bodyOf } from '../support/invoke.js';
import { TestClock } from '../support/clock.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let deps: SealDeps;
let documents: DynamoDBDocumentClient;
const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  deps = { ...env.runtime, clock: new TestClock(Date.parse('2026-11-10T00:30:00Z')) };
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.store.endpoint,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  vi.stubEnv('LOGICNODES_DATA_DIR', env.dataDir);
});

afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  vi.unstubAllEnvs();
  documents.destroy();
  await env.dispose();
});

/** Five records a day for three days, each day sealed in order. */
async function seedAndSeal(partnerId: string) {
  for (const day of DAYS) {
    const records = Array.from({ length: 5 }, (_, i) =>
      toAuditRecord(
        {
          type: 'jwt_validation',
          success: true,
          partnerId,
          orgId: 'org-1',
          actor: 'user:u1',
          ip: '203.0.113.9',
          userAgent: 'seed',
        },
        Date.parse(`${day}T0${i}:00:00Z`),
      ),
    );
    await env.runtime.auditLog.record(records);
  }
  for (const day of DAYS) expect((await sealDay(deps, partnerId, day)).status).toBe('sealed');
  return env.runtime.auditLog.recordsOfDay(partnerId, DAYS[1]!);
}

/** Runs `logicnodes audit verify` and returns its exit code and what it printed. */
async function cliVerify(partnerId: string) {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
  const args = ['--partner', partnerId, '--from', DAYS[0]!, '--to', DAYS[2]!];
  const code = await main(['audit', 'verify', ...args]);
  return { code, output: printed.join('\n') };
}

const recordKey = (partnerId: string, record: { timestamp: string; event_id: string }) => ({
  pk: `PARTNER#${partnerId}`,
  sk: `${record.timestamp}#${record.event_id}`,
});

describe('daily seals', () => {
  it('chain each day to the one before and verify from records and the public key', async () => {
    await seedAndSeal('intact');

    const seals = await env.runtime.auditLog.seals('intact', DAYS[0]!, DAYS[2]!);
    const { code, output } = await cliVerify('intact');

    expect(seals.map((s) => s.record_count)).toEqual([5, 5, 5]);
    expect(seals[1]!.previous_digest).toBe(seals[0]!.digest);
    expect(seals[2]!.previous_date).toBe(DAYS[1]);
    expect(code).toBe(0);
    expect(JSON.parse(output)).toMatchObject({ ok: true, sealed_days: 3, verified_records: 15 });
  });

  it('are never replaced, and a day before the latest seal is not sealed afterwards', async () => {
    expect(await sealDay(deps, 'intact', DAYS[1]!)).toMatchObject({ status: 'skipped' });
    expect(await sealDay(deps, 'intact', '2026-10-31')).toMatchObject({ status: 'skipped' });
    expect(await sealDay(deps, 'intact', '2026-11-10')).toMatchObject({ status: 'skipped' });
  });

  it('are made by the scheduled job for every partner active on the day', async () => {
    await env.runtime.auditLog.record([
      toAuditRecord(
        {
          type: 'logout',
          success: true,
          partnerId: 'scheduled',
          actor: 'user:u',
          ip: 'x',
          userAgent: '',
        },
        Date.parse('2026-11-20T12:00:00Z'),
      ),
    ]);

    const result = await sealJob({ date: '2026-11-20' });

    expect(result).toEqual({ date: '2026-11-20', sealed: 1 });
    const [seal] = await env.runtime.auditLog.seals('scheduled', '2026-11-20', '2026-11-20');
    expect(seal).toMatchObject({ record_count: 1, previous_digest: GENESIS_DIGEST });
    expect(seal!.previous_date).toBeUndefined();
  });
});

describe('audit verify', () => {
  it('detects a record changed directly in the store', async () => {
    const [victim] = await seedAndSeal('changed');
    await documents.send(
      new UpdateCommand({
        TableName: AUDIT_TABLE.localName,
        Key: recordKey('changed', victim!),
        UpdateExpression: 'SET ip = :ip',
        ExpressionAttributeValues: { ':ip': '192.0.2.66' },
      }),
    );

    const { code, output } = await cliVerify('changed');

    expect(code).toBe(1);
    expect(output).toContain(`"date": "${DAYS[1]}"`);
    expect(output).toContain('records changed since sealing (5 sealed, 5 now)');
  });

  it('detects a record removed directly from the store', async () => {
    const [victim] = await seedAndSeal('removed');
    await documents.send(
      new DeleteCommand({ TableName: AUDIT_TABLE.localName, Key: recordKey('removed', victim!) }),
    );

    const { code, output } = await cliVerify('removed');

    expect(code).toBe(1);
    expect(output).toContain('5 sealed, 4 now');
  });

  it('detects a removed seal as a break in the chain', async () => {
    await seedAndSeal('unsealed');
    await documents.send(
      new DeleteCommand({
        TableName: AUDIT_TABLE.localName,
        Key: { pk: 'SEAL#unsealed', sk: DAYS[1] },
      }),
    );

    const { code, output } = await cliVerify('unsealed');

    expect(code).toBe(1);
    expect(output).toContain('5 records on a day with no seal');
    expect(output).toContain(`chain skips from ${DAYS[1]}`);
  });
});

describe('GET /api/v1/partner/audit-logs/digests', () => {
  it('returns the caller’s seals and a public key their signatures verify with', async () => {
    const result = await digestsHandler(
      partnerEvent(
        'GET',
        '/api/v1/partner/audit-logs/digests',
        { partnerId: 'intact' },
        {
          query: { from: DAYS[0]!, to: DAYS[2]! },
        },
      ),
    );
    const body = bodyOf(result);

    expect(result.statusCode).toBe(200);
    expect(body.digests).toHaveLength(3);
    for (const seal of body.digests) {
      const statement = Buffer.from(sealStatement(seal));
      const signature = Buffer.from(seal.signature, 'base64');
      expect(verify('sha256', statement, body.signing_key.public_key_pem, signature)).toBe(true);
    }
  });

  it('refuses another partner’s id with 403 forbidden', async () => {
    const result = await digestsHandler(
      partnerEvent(
        'GET',
        '/api/v1/partner/audit-logs/digests',
        { partnerId: 'intact' },
        {
          query: { partner_id: 'changed' },
        },
      ),
    );

    expect(result.statusCode).toBe(403);
    expect(bodyOf(result).error.code).toBe('forbidden');
  });

  it.each(['2026-13-45', '2026-02-30'])('answers the impossible date %s with 400', async (day) => {
    const result = await digestsHandler(
      partnerEvent(
        'GET',
        '/api/v1/partner/audit-logs/digests',
        { partnerId: 'intact' },
        {
          query: { to: day },
        },
      ),
    );

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).error.code).toBe('validation_failed');
  });
});
