import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueApiKey, rotateApiKey } from '../../lambdas/core/api-keys.js';
import { AppError } from '../../lambdas/core/errors.js';
import { ApiKeyVerifier } from '../../lambdas/core/partner-auth.js';
import { CountingTable } from '../support/counting-table.js';
import { onboardPartner } from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let table: CountingTable;
let compares = 0;

/** Every cold check compares against two hashes, real or decoy, so timing reveals nothing. */
const COMPARES_PER_COLD_CHECK = 2;
let counter = 0;

const countingCompare = (digest: string, hash: string) => {
  compares += 1;
  return bcrypt.compare(digest, hash);
};

/** A new container: its verifier has seen no key yet. */
const coldContainer = (capacity?: number) => new ApiKeyVerifier(countingCompare, capacity);

beforeAll(async () => {
  env = await createTestEnvironment();
  table = new CountingTable(env.runtime.table);
});

beforeEach(() => {
  compares = 0;
  table.reset();
});

afterAll(() => env.dispose());

async function newPartner() {
  const partnerId = `verify-${(counter += 1)}`;
  await onboardPartner(env.runtime, partnerId);
  const { apiKey } = await issueApiKey(env.runtime.table, env.clock, partnerId);
  table.reset();
  return { partnerId, apiKey };
}

async function expectRefused(verifier: ApiKeyVerifier, key: string) {
  const error = await verifier.verify(table, env.clock, key).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('invalid_api_key');
  expect((error as AppError).status).toBe(401);
}

describe('the warm path', () => {
  it('pays bcrypt on a cold container and none once warm', async () => {
    const { partnerId, apiKey } = await newPartner();
    const container = coldContainer();

    const first = await container.verify(table, env.clock, apiKey);
    expect(compares).toBe(COMPARES_PER_COLD_CHECK);
    expect(table.calls.get).toBe(1);

    compares = 0;
    table.reset();
    const second = await container.verify(table, env.clock, apiKey);

    expect(compares).toBe(0);
    expect(table.calls).toMatchObject({ get: 1, update: 0 });
    expect(second).toEqual(first);
    expect(second).toMatchObject({ partnerId, tier: 'standard' });
  });

  it('refuses a rotated-out key on the very next request of a warm container', async () => {
    const { partnerId, apiKey } = await newPartner();
    const container = coldContainer();
    await container.verify(table, env.clock, apiKey);

    const rotated = await rotateApiKey(env.runtime.table, env.clock, partnerId, 0);

    await expectRefused(container, apiKey);
    await expect(container.verify(table, env.clock, rotated.apiKey)).resolves.toMatchObject({
      partnerId,
    });
  });

  it('keeps a key rotated with an overlap on the warm path until the overlap ends', async () => {
    const { partnerId, apiKey } = await newPartner();
    const container = coldContainer();
    await container.verify(table, env.clock, apiKey);
    await rotateApiKey(env.runtime.table, env.clock, partnerId, 300);

    compares = 0;
    await container.verify(table, env.clock, apiKey);
    expect(compares).toBe(0);

    env.clock.advanceSeconds(300);
    await expectRefused(container, apiKey);
  });

  it('writes last_used_at at most once a minute per key', async () => {
    const { apiKey } = await newPartner();
    const container = coldContainer();
    env.clock.advanceSeconds(60 - ((env.clock.now() / 1000) % 60));

    for (let i = 0; i < 5; i += 1) {
      await container.verify(table, env.clock, apiKey);
      env.clock.advanceSeconds(10);
    }
    expect(table.calls.update).toBe(1);

    env.clock.advanceSeconds(20);
    await container.verify(table, env.clock, apiKey);
    expect(table.calls.update).toBe(2);
  });

  it('forgets the oldest key when its memory is full, and pays bcrypt for it again', async () => {
    const a = await newPartner();
    const b = await newPartner();
    const container = coldContainer(1);

    await container.verify(table, env.clock, a.apiKey);
    await container.verify(table, env.clock, b.apiKey);
    compares = 0;
    await container.verify(table, env.clock, a.apiKey);

    expect(compares).toBe(COMPARES_PER_COLD_CHECK);
  });
});

describe('refusals cost the same as a bad secret', () => {
  it('compares against a decoy hash for a partner that does not exist', async () => {
    const container = coldContainer();

    await expectRefused(container, `pk_nobody_${'A'.repeat(43)}`);

    expect(compares).toBe(COMPARES_PER_COLD_CHECK);
    expect(table.calls.get).toBe(1);
  });

  it('compares against a decoy hash for a key of the wrong shape', async () => {
    const container = coldContainer();

    await expectRefused(container, 'not-a-key');

    expect(compares).toBe(COMPARES_PER_COLD_CHECK);
    expect(table.calls.get).toBe(0);
  });
});

describe('concurrent generation', () => {
  it('lets exactly one of two generations that read the same version win', async () => {
    const { partnerId } = await newPartner();

    const outcomes = await Promise.allSettled([
      rotateApiKey(env.runtime.table, env.clock, partnerId, 0),
      rotateApiKey(env.runtime.table, env.clock, partnerId, 0),
    ]);

    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'conflict',
      status: 409,
    });
    const winner = (won[0] as PromiseFulfilledResult<{ apiKey: string }>).value.apiKey;
    await expect(coldContainer().verify(table, env.clock, winner)).resolves.toMatchObject({
      partnerId,
    });
  });
});
