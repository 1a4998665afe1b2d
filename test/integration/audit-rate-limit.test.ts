import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_RATE_LIMITS } from '../../lambdas/config/rate-limits.js';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { auditRecordsOf } from '../support/audit.js';
import { proxyEvent } from '../support/invoke.js';
import { captureLogs } from '../support/log-capture.js';
import { onboardPartner, signEmbedToken, type TestPartner } from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let acme: TestPartner;

beforeAll(async () => {
  env = await createTestEnvironment({ rateLimits: SPEC_RATE_LIMITS });
  installRuntime(env.runtime);
  acme = await onboardPartner(env.runtime, 'acme');
});

afterAll(() => env.dispose());

describe('rate-limited and failed logins', () => {
  it('records a login refused by the per-IP limit as rate_limited', async () => {
    const token = await signEmbedToken(acme, { nowMs: env.clock.now() });
    const attempt = () =>
      embedAuth(
        proxyEvent('POST', '/api/v1/embed/auth', { body: { token }, sourceIp: '192.0.2.1' }),
      );

    for (let i = 0; i < SPEC_RATE_LIMITS.embedAuthPerMinute; i += 1) await attempt();
    env.clock.advanceSeconds(1);
    const refused = await attempt();

    expect(refused.statusCode).toBe(429);
    const [latest] = await auditRecordsOf(env, '_unknown', 'jwt_validation');
    expect(latest).toMatchObject({ success: false, reason: 'rate_limited', ip: '192.0.2.1' });
  });

  it('logs each failed authentication with auth_failed, for the alarm to count', async () => {
    const logs = captureLogs();
    try {
      await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token: 'x.y.z' } }));
    } finally {
      logs.restore();
    }

    const marked = logs.lines.map((line) => JSON.parse(line)).filter((l) => l.auth_failed);
    expect(marked).toEqual([
      expect.objectContaining({ event_type: 'jwt_validation', reason: 'malformed' }),
    ]);
    expect(logs.lines.join('')).not.toContain('x.y.z');
  });
});
