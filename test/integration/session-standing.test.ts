import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { handler as embedRefresh } from '../../lambdas/handlers/embed-refresh.js';
import { handler as me } from '../../lambdas/handlers/me.js';
import { handler as orgSecretPut } from '../../lambdas/handlers/org-secret-put.js';
import { handler as revoke } from '../../lambdas/handlers/partner-user-sessions-revoke.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bearer, bodyOf, proxyEvent } from '../support/invoke.js';
import { callPartnerRoute } from '../support/partner-calls.js';
import {
  onboardPartner,
  signEmbedToken,
  userClaims,
  type TestPartner,
} from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let acme: TestPartner;
let acmeKey: string;
let globexKey: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  acme = await onboardPartner(env.runtime, 'acme');
  await onboardPartner(env.runtime, 'globex');
  acmeKey = (await issueApiKey(env.runtime.table, env.clock, 'acme')).apiKey;
  globexKey = (await issueApiKey(env.runtime.table, env.clock, 'globex')).apiKey;
});

afterAll(() => env.dispose());

async function login(userId: string, role: string) {
  const claims = userClaims({ user_id: userId, org_id: 'org-standing', role });
  const token = await signEmbedToken(acme, { claims, nowMs: env.clock.now() });
  const result = await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } }));
  expect(result.statusCode).toBe(200);
  return bodyOf(result).session as { access_token: string; refresh_token: string };
}

const profile = (accessToken: string) =>
  me(proxyEvent('GET', '/api/v1/me', { headers: bearer(accessToken) }));

const refresh = (refreshToken: string) =>
  embedRefresh(
    proxyEvent('POST', '/api/v1/embed/refresh', { body: { refresh_token: refreshToken } }),
  );

const revokeSessions = (apiKey: string, orgId: string, userId: string) =>
  callPartnerRoute(
    revoke,
    proxyEvent('DELETE', `/api/v1/partner/organizations/${orgId}/users/${userId}/sessions`, {
      headers: bearer(apiKey),
      pathParameters: { org_id: orgId, user_id: userId },
    }),
  );

describe('the standing of a session', () => {
  it('follows a role lowered by a later login, in sessions opened before it', async () => {
    const asAdmin = await login('demoted', 'admin');
    await login('demoted', 'viewer');

    const write = await orgSecretPut(
      proxyEvent('PUT', '/api/v1/org/secrets/DEMOTED_KEY', {
        headers: bearer(asAdmin.access_token),
        pathParameters: { key: 'DEMOTED_KEY' },
        body: { value: 'v' },
      }),
    );

    expect(bodyOf(await profile(asAdmin.access_token)).user.role).toBe('viewer');
    expect(write.statusCode).toBe(403);
  });

  it('ends every session of a user the partner revokes, on the next request', async () => {
    const first = await login('revoked', 'member');
    const second = await login('revoked', 'member');

    const result = await revokeSessions(acmeKey, 'org-standing', 'revoked');

    expect(result.statusCode).toBe(204);
    for (const session of [first, second]) {
      const denied = await profile(session.access_token);
      expect(denied.statusCode).toBe(401);
      expect(bodyOf(denied).error.code).toBe('session_revoked');
      expect((await refresh(session.refresh_token)).statusCode).toBe(401);
    }
    env.clock.advanceSeconds(0.001);
    const again = await login('revoked', 'member');
    expect((await profile(again.access_token)).statusCode).toBe(200);
  });

  it('leaves other users of the organization signed in', async () => {
    const bystander = await login('bystander', 'member');

    await revokeSessions(acmeKey, 'org-standing', 'someone-else-entirely');
    await login('target', 'member');
    await revokeSessions(acmeKey, 'org-standing', 'target');

    expect((await profile(bystander.access_token)).statusCode).toBe(200);
  });

  it("answers 404 for another partner's organization or an unknown user", async () => {
    await login('victim', 'member');

    const fromGlobex = await revokeSessions(globexKey, 'org-standing', 'victim');
    const unknownUser = await revokeSessions(acmeKey, 'org-standing', 'nobody');

    expect(fromGlobex.statusCode).toBe(404);
    expect(unknownUser.statusCode).toBe(404);
  });

  it('refuses, without ending the session, a refresh secret the session never issued', async () => {
    const session = await login('probed', 'member');
    const [version, org, sid] = session.refresh_token.split('.');

    const forged = await refresh([version, org, sid, 'A'.repeat(43)].join('.'));

    expect(forged.statusCode).toBe(401);
    expect(bodyOf(forged).error.code).toBe('invalid_refresh_token');
    expect((await profile(session.access_token)).statusCode).toBe(200);
    expect((await refresh(session.refresh_token)).statusCode).toBe(200);
  });
});
