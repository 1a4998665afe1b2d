import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { handler as embedLogout } from '../../lambdas/handlers/embed-logout.js';
import { handler as embedRefresh } from '../../lambdas/handlers/embed-refresh.js';
import { handler as authorizer } from '../../lambdas/handlers/partner-authorizer.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { auditRecordsOf, authorizerEvent, scanAuditTable } from '../support/audit.js';
import { bearer, bodyOf, proxyEvent } from '../support/invoke.js';
import {
  onboardPartner,
  rsaKeyPair,
  signEmbedToken,
  userClaims,
  type TestPartner,
} from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let acme: TestPartner;
let apiKey: string;
const secretsSeen: string[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  acme = await onboardPartner(env.runtime, 'acme');
  apiKey = (await issueApiKey(env.runtime.table, env.clock, 'acme')).apiKey;
  secretsSeen.push(apiKey);
});

afterAll(() => env.dispose());

/** Each step a second apart, so "newest first" has one answer. */
async function login(claims = userClaims(), options: Parameters<typeof signEmbedToken>[1] = {}) {
  env.clock.advanceSeconds(1);
  const token = await signEmbedToken(acme, { claims, nowMs: env.clock.now(), ...options });
  secretsSeen.push(token);
  const result = await embedAuth(
    proxyEvent('POST', '/api/v1/embed/auth', { body: { token }, sourceIp: '203.0.113.5' }),
  );
  const session = bodyOf(result).session;
  if (session) secretsSeen.push(session.access_token, session.refresh_token);
  return result;
}

function refresh(refreshToken: string) {
  env.clock.advanceSeconds(1);
  return embedRefresh(
    proxyEvent('POST', '/api/v1/embed/refresh', { body: { refresh_token: refreshToken } }),
  );
}

describe('embed login events', () => {
  it('records a valid JWT and the session it opened, with the request context', async () => {
    const result = await login(userClaims({ user_id: 'u-ok', org_id: 'org-ok' }));
    const { session, organization_id } = bodyOf(result);

    const [validation] = await auditRecordsOf(env, 'acme', 'jwt_validation');
    const [created] = await auditRecordsOf(env, 'acme', 'session_created');

    expect(validation).toMatchObject({
      event_type: 'jwt_validation',
      success: true,
      partner_id: 'acme',
      org_id: 'org-ok',
      user_id: 'u-ok',
      organization_id,
      actor: 'user:u-ok',
      ip: '203.0.113.5',
      user_agent: 'vitest',
      details: { key_id: acme.keyId, is_new_user: true },
    });
    expect(created).toMatchObject({ success: true, org_id: 'org-ok', user_id: 'u-ok' });
    expect(created!.details.session_id).toBe(session.refresh_token.split('.')[2]);
  });

  it('records an expired token as a failure with reason expired under the partner', async () => {
    await login(userClaims({ user_id: 'u-late' }), { nowMs: env.clock.now() - 7200_000 });

    const failures = (await auditRecordsOf(env, 'acme', 'jwt_validation')).filter(
      (r) => !r.success,
    );

    expect(failures[0]).toMatchObject({ reason: 'expired', partner_id: 'acme', success: false });
  });

  it('records a token signed with another key under its kid as bad_signature', async () => {
    const impostor = { ...acme, privateKey: rsaKeyPair().privateKey };
    env.clock.advanceSeconds(1);
    const token = await signEmbedToken(impostor, { nowMs: env.clock.now() });

    const result = await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } }));

    expect(result.statusCode).toBe(401);
    const [latest] = await auditRecordsOf(env, 'acme', 'jwt_validation');
    expect(latest).toMatchObject({ success: false, reason: 'bad_signature', partner_id: 'acme' });
    expect(latest!.user_id).toBeUndefined();
  });

  it('records a token naming an unknown key with no partner, as unknown_key', async () => {
    env.clock.advanceSeconds(1);
    const token = await signEmbedToken(acme, { header: { kid: 'nobody-123' } });

    await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } }));

    const [latest] = await auditRecordsOf(env, '_unknown', 'jwt_validation');
    expect(latest).toMatchObject({ success: false, reason: 'unknown_key', actor: 'anonymous' });
    expect(latest!.partner_id).toBeUndefined();
  });

  it('records a replayed single-use token as replayed, naming the user it speaks for', async () => {
    const claims = userClaims({ user_id: 'u-once', jti: 'login-7f3a' });
    await login(claims);
    await login(claims);

    const [latest] = await auditRecordsOf(env, 'acme', 'jwt_validation');
    expect(latest).toMatchObject({ success: false, reason: 'replayed', user_id: 'u-once' });
  });

  it('records a malformed body as a failed attempt too', async () => {
    env.clock.advanceSeconds(1);
    await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: '{"token": ' }));

    const [latest] = await auditRecordsOf(env, '_unknown', 'jwt_validation');
    expect(latest).toMatchObject({ success: false, reason: 'invalid_json' });
  });
});

describe('session events', () => {
  it('records a refresh with the session it refreshed', async () => {
    const { session } = bodyOf(await login(userClaims({ user_id: 'u-refresh' })));

    const result = await refresh(session.refresh_token);
    secretsSeen.push(bodyOf(result).session.refresh_token);

    const [refreshed] = await auditRecordsOf(env, 'acme', 'session_refreshed');
    expect(refreshed).toMatchObject({
      success: true,
      user_id: 'u-refresh',
      actor: 'user:u-refresh',
    });
    expect(refreshed!.details.session_id).toBe(session.refresh_token.split('.')[2]);
  });

  it('records a reused refresh token as a failed refresh, a reuse and a revocation', async () => {
    const { session } = bodyOf(await login(userClaims({ user_id: 'u-reuse' })));
    await refresh(session.refresh_token);

    const reused = await refresh(session.refresh_token);

    expect(bodyOf(reused).error.code).toBe('refresh_token_reused');
    const [failed] = await auditRecordsOf(env, 'acme', 'session_refreshed');
    const [detected] = await auditRecordsOf(env, 'acme', 'refresh_token_reused');
    const [revoked] = await auditRecordsOf(env, 'acme', 'session_revoked');
    expect(failed).toMatchObject({ success: false, reason: 'refresh_token_reused' });
    expect(detected).toMatchObject({ success: false, user_id: 'u-reuse' });
    expect(revoked).toMatchObject({ success: true, details: { cause: 'refresh_token_reused' } });
  });

  it('records a logout with the session it ended', async () => {
    const { session } = bodyOf(await login(userClaims({ user_id: 'u-out' })));

    env.clock.advanceSeconds(1);
    const result = await embedLogout(
      proxyEvent('POST', '/api/v1/embed/logout', { headers: bearer(session.access_token) }),
    );

    expect(result.statusCode).toBe(204);
    const [logout] = await auditRecordsOf(env, 'acme', 'logout');
    expect(logout).toMatchObject({ success: true, user_id: 'u-out', org_id: 'org_67890' });
  });
});

describe('partner API key authentication events', () => {
  it('aggregates successes to one record per key per minute', async () => {
    const before = await auditRecordsOf(env, 'acme', 'api_key_authenticated');

    await authorizer(authorizerEvent(`Bearer ${apiKey}`));
    await authorizer(authorizerEvent(`Bearer ${apiKey}`));
    env.clock.advanceSeconds(60);
    await authorizer(authorizerEvent(`Bearer ${apiKey}`));

    const after = await auditRecordsOf(env, 'acme', 'api_key_authenticated');
    const added = after.filter((r) => r.success).length - before.filter((r) => r.success).length;
    expect(added).toBe(2);
    expect(after[0]).toMatchObject({ actor: expect.stringMatching(/^api_key:pk_acme_/) });
  });

  it('records every failure, under the partner whose id the key claims', async () => {
    const wrong = apiKey.slice(0, -4) + 'AAAA';
    secretsSeen.push(wrong);

    await expect(authorizer(authorizerEvent(`Bearer ${wrong}`))).rejects.toThrow('Unauthorized');
    await expect(authorizer(authorizerEvent(`Bearer ${wrong}`))).rejects.toThrow('Unauthorized');

    const failures = (await auditRecordsOf(env, 'acme', 'api_key_authenticated')).filter(
      (r) => !r.success,
    );
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ reason: 'bad_key', ip: '198.51.100.7' });
  });

  it('records keys of unknown partners and missing keys without a partner', async () => {
    await expect(
      authorizer(authorizerEvent('Bearer pk_ghost_' + 'x'.repeat(43))),
    ).rejects.toThrow();
    await expect(authorizer(authorizerEvent())).rejects.toThrow();

    const reasons = (await auditRecordsOf(env, '_unknown', 'api_key_authenticated')).map(
      (r) => r.reason,
    );
    expect(reasons).toEqual(expect.arrayContaining(['unknown_key', 'missing_credentials']));
  });
});

describe('what audit records hold', () => {
  it('never holds an email, a name, a token, a key or a secret', async () => {
    const stored = JSON.stringify(await scanAuditTable(env));

    expect(stored.length).toBeGreaterThan(1000);
    expect(secretsSeen.length).toBeGreaterThan(5);
    for (const secret of secretsSeen) expect(stored).not.toContain(secret);
    for (const secret of secretsSeen) expect(stored).not.toContain(secret.split('.').pop());
    expect(stored).not.toMatch(/@acme\.test|John Doe|Acme Corporation|BEGIN|api_key_hash/);
  });
});
