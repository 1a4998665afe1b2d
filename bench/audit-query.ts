import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoAuditLog } from '../lambdas/adapters/dynamo-audit-log.js';
import { AUDIT_TABLE } from '../lambdas/config/table-schema.js';
import type { AuditEventType } from '../lambdas/core/audit-events.js';
import { toAuditRecord } from '../lambdas/core/audit.js';
import { localDynamoConfig, openLocalStore } from '../local/store.js';

const LARGE = Number(process.env.AUDIT_BENCH_RECORDS ?? 100_000);
const TYPES: AuditEventType[] = [
  'jwt_validation',
  'session_created',
  'logout',
  'api_key_authenticated',
];
const RUNS = 30;

/**
 * The first page of 100 audit records, newest first, unfiltered and filtered by event type and
 * organization, for a partner with 100 records and one with 100,000. Queries read by key, so
 * the time should not grow with the size of the log: the ratio should be close to 1.
 */
export async function benchAuditQuery(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-bench-audit-'));
  const store = await openLocalStore(dataDir);
  const log = new DynamoAuditLog(AUDIT_TABLE.localName, localDynamoConfig(store.endpoint));

  try {
    await seed(log, 'small', 100);
    const seeding = performance.now();
    await seed(log, 'large', LARGE);
    const seedSeconds = (performance.now() - seeding) / 1000;

    await medianMs(() => log.query({ partnerId: 'small', limit: 100 }));
    const small = await medianMs(() => log.query({ partnerId: 'small', limit: 100 }));
    const large = await medianMs(() => log.query({ partnerId: 'large', limit: 100 }));

    const filters = {
      event_type: { eventType: 'logout' as const },
      org_id_and_event_type: { orgId: 'org-2', eventType: 'logout' as const },
      from_to_one_day: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T23:59:59.999Z' },
    };
    const filtered: Record<string, number> = {};
    for (const [label, query] of Object.entries(filters)) {
      const ms = await medianMs(() => log.query({ partnerId: 'large', limit: 100, ...query }));
      filtered[label] = round(ms);
    }

    return {
      page_size: 100,
      large_log_records: LARGE,
      seed_seconds: round(seedSeconds),
      first_page_ms_with_100_records: round(small),
      first_page_ms_with_large_log: round(large),
      ratio: round(large / small),
      filtered_first_page_ms_with_large_log: filtered,
    };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

async function seed(log: DynamoAuditLog, partnerId: string, count: number): Promise<void> {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const batch = 200;
  for (let first = 0; first < count; first += batch) {
    const records = Array.from({ length: Math.min(batch, count - first) }, (_, i) =>
      toAuditRecord(
        {
          type: TYPES[(first + i) % TYPES.length]!,
          success: true,
          partnerId,
          orgId: `org-${(first + i) % 4}`,
          actor: 'user:bench',
          ip: '203.0.113.1',
          userAgent: 'bench',
        },
        start + (first + i) * 1000,
      ),
    );
    await log.record(records);
  }
}

async function medianMs(operation: () => Promise<{ items: unknown[] }>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const began = performance.now();
    const page = await operation();
    times.push(performance.now() - began);
    if (page.items.length === 0) throw new Error('the benchmark query found no records');
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
