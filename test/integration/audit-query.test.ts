import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventType } from '../../lambdas/core/audit-events.js';
import { toAuditRecord, type AuditRecord } from '../../lambdas/core/audit.js';
import { organizationPartition } from '../../lambdas/core/keys.js';
import { handler as auditLogs } from '../../lambdas/handlers/audit-logs.js';
import { handler as auditExport } from '../../lambdas/handlers/audit-logs-export.js';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { auditRecordsOf } from '../support/audit.js';
import { partnerEvent } from '../support/secrets.js';
import { bodyOf, proxyEvent } from '../support/invoke.js';
import { onboardPartner, signEmbedToken, userClaims } from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
const START = Date.parse('2026-11-01T00:00:00.000Z');
const HOUR = 3_600_000;

/** 60 records for `globex`, one an hour, cycling through three types and two organizations. */
const TYPES: AuditEventType[] = ['jwt_validation', 'session_created', 'logout'];
const seeded: AuditRecord[] = Array.from({ length: 60 }, (_, i) =>
  toAuditRecord(
    {
      type: TYPES[i % 3]!,
      success: i % 5 !== 0,
      reason: i % 5 === 0 ? 'expired' : undefined,
      partnerId: 'globex',
      orgId: i % 2 === 0 ? 'org-even' : 'org#odd',
      actor: 'user:u1',
      ip: '203.0.113.1',
      userAgent: 'seed',
    },
    START + i * HOUR,
  ),
);

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  await env.runtime.auditLog.record(seeded);
});

afterAll(() => env.dispose());

const list = (query: Record<string, string | undefined>, partnerId = 'globex') =>
  auditLogs(
    partnerEvent(
      'GET',
      '/api/v1/partner/audit-logs',
      { partnerId: partnerId },
      {
        query: query as Record<string, string>,
      },
    ),
  );

const timesOf = (records: AuditRecord[]) => records.map((r) => r.timestamp);

describe('GET /api/v1/partner/audit-logs', () => {
  it('answers the caller’s records newest first, 100 by default', async () => {
    const result = await list({ partner_id: 'globex' });
    const body = bodyOf(result);

    expect(result.statusCode).toBe(200);
    expect(body.audit_logs).toHaveLength(60);
    expect(body.audit_logs[0].timestamp).toBe(seeded[59]!.timestamp);
    expect(timesOf(body.audit_logs)).toEqual(timesOf(body.audit_logs).sort().reverse());
    expect(body.next_cursor).toBeNull();
  });

  it('refuses another partner’s id with 403 forbidden', async () => {
    const result = await list({ partner_id: 'acme' });

    expect(result.statusCode).toBe(403);
    expect(bodyOf(result).error.code).toBe('forbidden');
  });

  it.each([
    { filter: { event_type: 'logout' }, expected: (r: AuditRecord) => r.event_type === 'logout' },
    { filter: { org_id: 'org#odd' }, expected: (r: AuditRecord) => r.org_id === 'org#odd' },
    {
      filter: { org_id: 'org-even', event_type: 'session_created' },
      expected: (r: AuditRecord) => r.org_id === 'org-even' && r.event_type === 'session_created',
    },
    {
      filter: { from: '2026-11-01T10:00:00Z', to: '2026-11-01T19:00:00+00:00' },
      expected: (r: AuditRecord) =>
        r.timestamp >= '2026-11-01T10:00:00.000Z' && r.timestamp <= '2026-11-01T19:00:00.000Z',
    },
    {
      filter: { from: '2026-11-02', to: '2026-11-02', event_type: 'jwt_validation' },
      expected: (r: AuditRecord) =>
        r.timestamp.startsWith('2026-11-02') && r.event_type === 'jwt_validation',
    },
  ])('filters by $filter exactly', async ({ filter, expected }) => {
    const body = bodyOf(await list({ ...filter, limit: '1000' }));

    const wanted = seeded.filter(expected);
    expect(wanted.length).toBeGreaterThan(0);
    expect(timesOf(body.audit_logs)).toEqual(timesOf(wanted).reverse());
  });

  it('pages with a cursor through every record once, under a filter', async () => {
    const seen: AuditRecord[] = [];
    let cursor: string | undefined;
    do {
      const body = bodyOf(
        await list({ org_id: 'org-even', limit: '7', ...(cursor ? { cursor } : {}) }),
      );
      expect(body.audit_logs.length).toBeLessThanOrEqual(7);
      seen.push(...body.audit_logs);
      cursor = body.next_cursor ?? undefined;
    } while (cursor);

    expect(seen.map((r) => r.event_id)).toEqual(
      seeded
        .filter((r) => r.org_id === 'org-even')
        .reverse()
        .map((r) => r.event_id),
    );
  });

  it.each([
    { query: { limit: '0' }, field: 'limit' },
    { query: { limit: '1001' }, field: 'limit' },
    { query: { from: 'yesterday' }, field: 'from' },
    { query: { event_type: 'made_up' }, field: 'event_type' },
    { query: { cursor: 'not-a-cursor' }, field: 'cursor' },
    { query: { from: '2026-11-03', to: '2026-11-02' }, field: 'from' },
  ])('answers 400 validation_failed for a bad $field', async ({ query }) => {
    const result = await list(query);

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).error.code).toBe('validation_failed');
  });

  it('shows a partner none of another partner’s records', async () => {
    const body = bodyOf(await list({}, 'initech'));

    expect(body.audit_logs).toEqual([]);
  });
});

describe('GET /api/v1/partner/audit-logs/export', () => {
  it('pages the same filter as JSON lines and records that the log was exported', async () => {
    const lines: AuditRecord[] = [];
    let cursor: string | undefined;
    do {
      const query = { event_type: 'logout', limit: '8', ...(cursor ? { cursor } : {}) };
      const result = await auditExport(
        partnerEvent(
          'GET',
          '/api/v1/partner/audit-logs/export',
          { partnerId: 'globex' },
          { query },
        ),
      );
      expect(result.statusCode).toBe(200);
      expect(result.headers!['content-type']).toContain('application/x-ndjson');
      lines.push(
        ...result.body
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
      );
      cursor = result.headers!['x-next-cursor'] as string | undefined;
    } while (cursor);

    expect(lines.map((r) => r.event_id)).toEqual(
      seeded
        .filter((r) => r.event_type === 'logout')
        .reverse()
        .map((r) => r.event_id),
    );
    const exports = await auditRecordsOf(env, 'globex', 'audit_log_exported');
    expect(exports).toHaveLength(3);
    expect(exports[0]).toMatchObject({ actor: 'api_key:pk_globex_abcdef', success: true });
  });

  it('refuses another partner’s id with 403 and records the refusal', async () => {
    env.clock.advanceSeconds(1);
    const result = await auditExport(
      partnerEvent(
        'GET',
        '/api/v1/partner/audit-logs/export',
        { partnerId: 'globex' },
        {
          query: { partner_id: 'acme' },
        },
      ),
    );

    expect(result.statusCode).toBe(403);
    const [latest] = await auditRecordsOf(env, 'globex', 'audit_log_exported');
    expect(latest).toMatchObject({ success: false, reason: 'forbidden' });
  });
});

describe('audit records and deletions', () => {
  it('outlive the deletion of the organization and user they concern', async () => {
    const partner = await onboardPartner(env.runtime, 'umbrella');
    const token = await signEmbedToken(partner, {
      claims: userClaims({ user_id: 'leaver', org_id: 'org-gone' }),
      nowMs: env.clock.now(),
    });
    const { organization_id } = bodyOf(
      await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } })),
    );

    const items = await env.runtime.table.query({ pk: organizationPartition(organization_id) });
    await env.runtime.table.deleteMany(items.items.map(({ pk, sk }) => ({ pk, sk })));

    const after = await env.runtime.table.query({ pk: organizationPartition(organization_id) });
    expect(after.items).toEqual([]);
    const records = await auditRecordsOf(env, 'umbrella');
    expect(records.map((r) => r.event_type).sort()).toEqual(['jwt_validation', 'session_created']);
    expect(records.every((r) => r.org_id === 'org-gone' && r.user_id === 'leaver')).toBe(true);
  });
});

describe('retention in queries', () => {
  it('never shows a record older than a year, even before DynamoDB removes it', async () => {
    const event = {
      type: 'logout',
      success: true,
      partnerId: 'retention',
      actor: 'user:u1',
      ip: '203.0.113.1',
      userAgent: 'seed',
    } as const;
    const old = toAuditRecord(event, env.clock.now() - 367 * 24 * HOUR);
    const fresh = toAuditRecord(event, env.clock.now() - HOUR);
    await env.runtime.auditLog.record([old, fresh]);

    const body = bodyOf(await list({}, 'retention'));

    expect(body.audit_logs.map((r: AuditRecord) => r.event_id)).toEqual([fresh.event_id]);
  });
});
