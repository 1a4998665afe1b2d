import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SPEC_RATE_LIMITS } from '../../lambdas/config/rate-limits.js';
import { countEmbedLogin } from '../../lambdas/core/rate-limit.js';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bodyOf, proxyEvent } from '../support/invoke.js';
import { onboardPartner, signEmbedToken, type TestPartner } from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let acme: TestPartner;
let ipCounter = 0;
let ip: string;

beforeAll(async () => {
  env = await createTestEnvironment({ rateLimits: SPEC_RATE_LIMITS });
  installRuntime(env.runtime);
  acme = await onboardPartner(env.runtime, 'acme');
});

beforeEach(() => {
  // Each test starts at the beginning of a minute window, from an address of its own.
  env.clock.advanceSeconds(60 - ((env.clock.now() / 1000) % 60));
  ip = `198.51.100.${(ipCounter += 1)}`;
});

afterAll(() => env.dispose());

async function login(sourceIp = ip, headers: Record<string, string> = {}) {
  const token = await signEmbedToken(acme, { nowMs: env.clock.now() });
  return embedAuth(
    proxyEvent('POST', '/api/v1/embed/auth', { body: { token }, sourceIp, headers }),
  );
}

const garbage = (sourceIp = ip) =>
  embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token: 'x' }, sourceIp }));

describe('the per-IP limit on embed login', () => {
  it('answers the 11th attempt in a minute from one address with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i += 1) expect((await login()).statusCode).toBe(200);
    env.clock.advanceSeconds(15);

    const eleventh = await login();

    expect(eleventh.statusCode).toBe(429);
    expect(bodyOf(eleventh).error.code).toBe('rate_limited');
    expect(eleventh.headers?.['retry-after']).toBe('45');
  });

  it('counts failed attempts too, so guessing tokens is limited', async () => {
    for (let i = 0; i < 10; i += 1) expect((await garbage()).statusCode).toBe(401);

    expect((await login()).statusCode).toBe(429);
  });

  it('limits each address on its own', async () => {
    for (let i = 0; i < 10; i += 1) await garbage();

    expect((await login(`${ip}0`)).statusCode).toBe(200);
  });

  it('lets the address in again in the next minute', async () => {
    for (let i = 0; i < 11; i += 1) await garbage();

    env.clock.advanceSeconds(60);

    expect((await login()).statusCode).toBe(200);
  });

  it('takes the address API Gateway saw, never X-Forwarded-For', async () => {
    for (let i = 0; i < 10; i += 1) await garbage();

    const spoofed = await login(ip, { 'x-forwarded-for': '192.0.2.77' });

    expect(spoofed.statusCode).toBe(429);
  });

  it('keeps the counter in the table with a TTL, so every container shares it', async () => {
    await garbage();

    const windowStart = Math.floor(env.clock.now() / 60_000) * 60;
    const counter = await env.runtime.table.get({
      pk: `RATE#embed-auth#${ip}`,
      sk: String(windowStart),
    });
    expect(counter).toMatchObject({ attempts: 1, ttl: windowStart + 120 });
  });
});

describe('the recorded refusal', () => {
  it('carries the reason rate_limited for the audit log', async () => {
    const deps = { ...env.runtime, rateLimits: { embedAuthPerMinute: 1 } };
    await countEmbedLogin(deps, ip);

    await expect(countEmbedLogin(deps, ip)).rejects.toMatchObject({
      code: 'rate_limited',
      reason: 'rate_limited',
      status: 429,
    });
  });
});
