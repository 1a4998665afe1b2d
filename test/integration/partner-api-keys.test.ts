import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { partnerKey } from '../../lambdas/core/keys.js';
import { handler as generate } from '../../lambdas/handlers/partner-api-key-generate.js';
import { handler as info } from '../../lambdas/handlers/partner-api-key-info.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bearer, bodyOf, proxyEvent } from '../support/invoke.js';
import { callPartnerRoute } from '../support/partner-calls.js';
import { onboardPartner } from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let counter = 0;

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
});

afterAll(() => env.dispose());

/** A fresh partner with its first key, so each test starts from its own state. */
async function newPartner(): Promise<{ partnerId: string; apiKey: string }> {
  const partnerId = `keys-${(counter += 1)}`;
  await onboardPartner(env.runtime, partnerId);
  const issued = await issueApiKey(env.runtime.table, env.clock, partnerId);
  return { partnerId, apiKey: issued.apiKey };
}

const getInfo = (apiKey: string) =>
  callPartnerRoute(
    info,
    proxyEvent('GET', '/api/v1/partner/api-key/info', { headers: bearer(apiKey) }),
  );

const generateKey = (apiKey: string, body?: unknown) =>
  callPartnerRoute(
    generate,
    proxyEvent('POST', '/api/v1/partner/api-key/generate', { headers: bearer(apiKey), body }),
  );

function expectInvalidKey(result: { statusCode: number; body: string }) {
  expect(result.statusCode).toBe(401);
  expect(bodyOf(result as never)).toEqual({
    error: { code: 'invalid_api_key', message: 'The API key is not valid' },
  });
}

describe('generating a key', () => {
  it('returns a new pk_ key once, with its prefix and creation time', async () => {
    const { partnerId, apiKey } = await newPartner();

    const result = await generateKey(apiKey);
    const body = bodyOf(result);

    expect(result.statusCode).toBe(200);
    expect(body.api_key).toMatch(new RegExp(`^pk_${partnerId}_[A-Za-z0-9_-]{43}$`));
    expect(body.api_key.startsWith(body.prefix)).toBe(true);
    expect(body.prefix).toHaveLength(`pk_${partnerId}_`.length + 6);
    expect(body.created_at).toBe(new Date(env.clock.now()).toISOString());
    expect(body.previous_key_expires_at).toBeNull();
  });

  it('stores only a bcrypt hash, never the key', async () => {
    const { partnerId, apiKey } = await newPartner();

    const item = await env.runtime.table.get(partnerKey(partnerId));

    expect(item?.api_key_hash).toMatch(/^\$2[aby]\$1\d\$/);
    expect(JSON.stringify(item)).not.toContain(apiKey.slice(-43));
  });

  it('lets the new key in and refuses the old one at once', async () => {
    const { apiKey: oldKey } = await newPartner();

    const fresh = bodyOf(await generateKey(oldKey)).api_key;

    expect((await getInfo(fresh)).statusCode).toBe(200);
    expectInvalidKey(await getInfo(oldKey));
    expectInvalidKey(await generateKey(oldKey));
  });

  it('keeps the old key working until the overlap it asked for ends', async () => {
    const { apiKey: oldKey } = await newPartner();

    const result = bodyOf(await generateKey(oldKey, { expire_previous_in_seconds: 3600 }));
    const expiresAt = new Date(env.clock.now() + 3600_000).toISOString();

    expect(result.previous_key_expires_at).toBe(expiresAt);
    expect((await getInfo(oldKey)).statusCode).toBe(200);
    const seen = bodyOf(await getInfo(result.api_key));
    expect(seen.prefix).toBe(result.prefix);
    expect(seen.previous_key).toMatchObject({ prefix: oldKey.slice(0, seen.prefix.length) });
    expect(seen.previous_key.expires_at).toBe(expiresAt);

    env.clock.advanceSeconds(3599);
    expect((await getInfo(oldKey)).statusCode).toBe(200);
    env.clock.advanceSeconds(1);
    expectInvalidKey(await getInfo(oldKey));
    expect(bodyOf(await getInfo(result.api_key)).previous_key).toBeNull();
  });

  it('refuses to let a key in its overlap generate a successor', async () => {
    const { apiKey: leaked } = await newPartner();
    const current = bodyOf(await generateKey(leaked, { expire_previous_in_seconds: 3600 })).api_key;

    const takeover = await generateKey(leaked);

    expect(takeover.statusCode).toBe(403);
    expect(bodyOf(takeover).error.code).toBe('forbidden');
    expect((await getInfo(current)).statusCode).toBe(200);
  });

  it('ends an earlier overlap when the key is generated again', async () => {
    const { apiKey: first } = await newPartner();
    const second = bodyOf(await generateKey(first, { expire_previous_in_seconds: 600 })).api_key;

    const third = bodyOf(await generateKey(second, { expire_previous_in_seconds: 600 })).api_key;

    expectInvalidKey(await getInfo(first));
    expect((await getInfo(second)).statusCode).toBe(200);
    expect((await getInfo(third)).statusCode).toBe(200);
  });

  it.each([
    [{ expire_previous_in_seconds: 86_401 }],
    [{ expire_previous_in_seconds: -1 }],
    [{ expire_previous_in_seconds: 1.5 }],
    [{ expire_previous_in_seconds: '60' }],
  ])('refuses the overlap %j with 400 and keeps the current key', async (body) => {
    const { apiKey } = await newPartner();

    const result = await generateKey(apiKey, body);

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).error.code).toBe('validation_failed');
    expect((await getInfo(apiKey)).statusCode).toBe(200);
  });

  it('accepts the largest overlap, one day', async () => {
    const { apiKey } = await newPartner();

    expect((await generateKey(apiKey, { expire_previous_in_seconds: 86_400 })).statusCode).toBe(
      200,
    );
  });

  it('leaves exactly one current key after concurrent generations', async () => {
    const { apiKey } = await newPartner();

    const results = await Promise.all([1, 2, 3, 4].map(() => generateKey(apiKey)));

    const issued = results.filter((r) => r.statusCode === 200).map((r) => bodyOf(r).api_key);
    const refused = results.filter((r) => r.statusCode !== 200);
    // A loser either collided with the winner (409) or found its key already replaced.
    for (const result of refused) {
      expect([401, 403, 409]).toContain(result.statusCode);
    }
    const working = [];
    for (const key of [apiKey, ...issued]) {
      if ((await getInfo(key)).statusCode === 200) working.push(key);
    }
    expect(issued.length).toBeGreaterThanOrEqual(1);
    expect(working).toHaveLength(1);
  });
});

describe('key info', () => {
  it('reports prefix, creation and the minute of last use, without the key or hash', async () => {
    const { apiKey } = await newPartner();
    const createdAt = new Date(env.clock.now()).toISOString();

    const body = bodyOf(await getInfo(apiKey));

    const minute = new Date(Math.floor(env.clock.now() / 60_000) * 60_000).toISOString();
    expect(body).toEqual({
      prefix: apiKey.slice(0, body.prefix.length),
      created_at: createdAt,
      last_used_at: minute,
      previous_key: null,
    });
  });

  it('moves last_used_at on in a later minute', async () => {
    const { apiKey } = await newPartner();
    await getInfo(apiKey);

    env.clock.advanceSeconds(125);
    const body = bodyOf(await getInfo(apiKey));

    const minute = new Date(Math.floor(env.clock.now() / 60_000) * 60_000).toISOString();
    expect(body.last_used_at).toBe(minute);
  });
});

describe('keys that must not work', () => {
  it.each([
    [
      'one character of the secret changed',
      (k: string) => k.slice(0, -1) + (k.endsWith('A') ? 'B' : 'A'),
    ],
    ['the secret cut short', (k: string) => k.slice(0, -1)],
    ['a character added', (k: string) => `${k}A`],
    ['the prefix in capitals', (k: string) => k.replace(/^pk_/, 'PK_')],
    ['the partner id changed', (k: string) => k.replace(/^pk_keys-\d+_/, 'pk_keys-999_')],
    ['only the prefix', (k: string) => k.slice(0, 20)],
  ])('refuses a key with %s as an unknown key', async (_, tamper) => {
    const { apiKey } = await newPartner();

    expectInvalidKey(await getInfo(tamper(apiKey)));
    expect((await getInfo(apiKey)).statusCode).toBe(200);
  });

  it("refuses another partner's secret presented under this partner's id", async () => {
    const acme = await newPartner();
    const beta = await newPartner();
    const betaSecret = beta.apiKey.slice(-43);

    expectInvalidKey(await getInfo(`pk_${acme.partnerId}_${betaSecret}`));
  });

  it("serves another partner's key only that partner's own key record", async () => {
    const acme = await newPartner();
    const beta = await newPartner();

    const seen = bodyOf(await getInfo(beta.apiKey));
    await generateKey(beta.apiKey);

    expect(seen.prefix.startsWith(`pk_${beta.partnerId}_`)).toBe(true);
    expect((await getInfo(acme.apiKey)).statusCode).toBe(200);
  });

  it.each([
    ['Basic', (k: string) => `Basic ${k}`],
    ['lowercase scheme', (k: string) => `bearer ${k}`],
    ['no scheme', (k: string) => k],
    ['no key', () => 'Bearer '],
    ['two spaces', (k: string) => `Bearer  ${k}`],
    ['trailing junk', (k: string) => `Bearer ${k} x`],
    ['two keys', (k: string) => `Bearer ${k},${k}`],
  ])('answers the same 401 to an Authorization header with %s', async (_, shape) => {
    const { apiKey } = await newPartner();

    const result = await callPartnerRoute(
      info,
      proxyEvent('GET', '/api/v1/partner/api-key/info', {
        headers: { authorization: shape(apiKey) },
      }),
    );

    expectInvalidKey(result);
  });

  it('answers 401 missing_credentials when there is no Authorization header', async () => {
    const result = await callPartnerRoute(info, proxyEvent('GET', '/api/v1/partner/api-key/info'));

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).error.code).toBe('missing_credentials');
  });
});
