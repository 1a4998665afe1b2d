import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { issueApiKey } from '../lambdas/core/api-keys.js';
import { partnerKey } from '../lambdas/core/keys.js';
import { ApiKeyVerifier } from '../lambdas/core/partner-auth.js';
import { CountingTable } from '../test/support/counting-table.js';
import { onboardPartner } from '../test/support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../test/support/store.js';

/** What one verification costs, counted through the Table port and the bcrypt compare. */
export interface CallCounts {
  readonly dynamodbCalls: number;
  readonly reads: number;
  readonly writes: number;
  readonly bcryptCompares: number;
}

const PARTNERS_LARGE = 10_000;
const WARM_SAMPLES = 300;
const COLD_SAMPLES = 15;
const INSERT_CONCURRENCY = 50;

/**
 * The partner-key path: DynamoDB calls and bcrypt compares per request on a cold and a warm
 * container, and verification time with 1 partner and with 10,000 partners in the table.
 */
export async function benchPartnerKey(): Promise<Record<string, unknown>> {
  const env = await createTestEnvironment();
  try {
    const table = new CountingTable(env.runtime.table);
    let compares = 0;
    const compare = (digest: string, hash: string) => {
      compares += 1;
      return bcrypt.compare(digest, hash);
    };

    await onboardPartner(env.runtime, 'bench');
    const { apiKey } = await issueApiKey(env.runtime.table, env.clock, 'bench');

    const measure = async (verifier: ApiKeyVerifier, key = apiKey): Promise<CallCounts> => {
      table.reset();
      compares = 0;
      await verifier.verify(table, env.clock, key).catch(() => undefined);
      return {
        dynamodbCalls: table.total,
        reads: table.calls.get + table.calls.query,
        writes: table.calls.put + table.calls.update + table.calls.delete,
        bcryptCompares: compares,
      };
    };

    const container = new ApiKeyVerifier(compare);
    const calls = {
      cold_first_use_in_minute: await measure(container),
      warm_same_minute: await measure(container),
      warm_next_minute: await (async () => {
        env.clock.advanceSeconds(60);
        return measure(container);
      })(),
      cold_container_same_minute: await measure(new ApiKeyVerifier(compare)),
      wrong_secret: await measure(container, `${apiKey.slice(0, -1)}x`),
      unknown_partner: await measure(container, `pk_nobody_${'A'.repeat(43)}`),
    };

    const one = await timings(env, apiKey);
    await fillPartners(env, PARTNERS_LARGE);
    const many = await timings(env, apiKey);

    return {
      calls_per_request: calls,
      verification_ms: {
        partners_1: one,
        [`partners_${PARTNERS_LARGE}`]: many,
        ratio_warm_median: round(many.warm_median / one.warm_median),
        ratio_cold_median: round(many.cold_median / one.cold_median),
      },
    };
  } finally {
    await env.dispose();
  }
}

async function timings(env: TestEnvironment, apiKey: string) {
  const warm = new ApiKeyVerifier();
  await warm.verify(env.runtime.table, env.clock, apiKey);
  const warmSamples: number[] = [];
  for (let i = 0; i < WARM_SAMPLES; i += 1) {
    const started = performance.now();
    await warm.verify(env.runtime.table, env.clock, apiKey);
    warmSamples.push(performance.now() - started);
  }

  const coldSamples: number[] = [];
  for (let i = 0; i < COLD_SAMPLES; i += 1) {
    const started = performance.now();
    await new ApiKeyVerifier().verify(env.runtime.table, env.clock, apiKey);
    coldSamples.push(performance.now() - started);
  }
  return {
    warm_median: median(warmSamples),
    warm_p95: percentile(warmSamples, 0.95),
    cold_median: median(coldSamples),
  };
}

/** Other partners, each with a key hash, so the table is as full as a busy deployment's. */
async function fillPartners(env: TestEnvironment, count: number): Promise<void> {
  const fakeHash = await bcrypt.hash('other-partner', 4);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const id = `filler-${(next += 1)}`;
      await env.runtime.table.put({
        ...partnerKey(id),
        partner_id: id,
        name: id,
        api_key_hash: fakeHash,
        api_key_prefix: `pk_${id}_abcdef`,
        api_key_created_at: new Date(0).toISOString(),
      });
    }
  };
  await Promise.all(Array.from({ length: INSERT_CONCURRENCY }, worker));
}

function median(samples: number[]): number {
  return percentile(samples, 0.5);
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
}

const round = (n: number) => Math.round(n * 100) / 100;
