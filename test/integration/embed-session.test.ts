import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { handler as embedLogout } from '../../lambdas/handlers/embed-logout.js';
import { handler as embedRefresh } from '../../lambdas/handlers/embed-refresh.js';
import { handler as me } from '../../lambdas/handlers/me.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bearer, bodyOf, proxyEvent } from '../support/invoke.js';
import {
  onboardPartner,
  signEmbedToken,
  userClaims,
  type TestPartner,
} from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let acme: TestPartner;

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  acme = await onboardPartner(env.runtime, 'acme');
});

afterAll(() => env.dispose());

async function login(claims = userClaims(), partner = acme) {
  const token = await signEmbedToken(partner, { claims, nowMs: env.clock.now() });
  return embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } }));
}

const refresh = (refreshToken: string) =>
  embedRefresh(
    proxyEvent('POST', '/api/v1/embed/refresh', { body: { refresh_token: refreshToken } }),
  );

const profile = (accessToken: string) =>
  me(proxyEvent('GET', '/api/v1/me', { headers: bearer(accessToken) }));

describe('embed login', () => {
  it('creates the organization and user on first sight and answers in the spec shape', async () => {
    const result = await login(userClaims({ user_id: 'first-login', org_id: 'org-first' }));
    const body = bodyOf(result);

    expect(result.statusCode).toBe(200);
    expect(Object.keys(body).sort()).toEqual(
      ['is_new_user', 'organization_id', 'session', 'user_id'].sort(),
    );
    expect(Object.keys(body.session).sort()).toEqual(
      ['access_token', 'expires_at', 'expires_in', 'refresh_token'].sort(),
    );
    expect(body.is_new_user).toBe(true);
    expect(body.session.expires_in).toBe(3600);
    expect(body.session.expires_at).toBe(Math.floor(env.clock.now() / 1000) + 3600);
    expect(body.organization_id).not.toBe('org-first');
    expect(body.user_id).not.toBe('first-login');
  });

  it('recognises the user on a second login and keeps our ids stable', async () => {
    const claims = userClaims({ user_id: 'returning', org_id: 'org-returning' });
    const first = bodyOf(await login(claims));

    const second = bodyOf(await login({ ...claims, name: 'Renamed User', org_name: 'New Name' }));

    expect(second.is_new_user).toBe(false);
    expect(second.user_id).toBe(first.user_id);
    expect(second.organization_id).toBe(first.organization_id);
    const me = bodyOf(await profile(second.session.access_token));
    expect(me.user.name).toBe('Renamed User');
    expect(me.organization.name).toBe('New Name');
  });

  it('gives two concurrent first logins of one user the same ids', async () => {
    const claims = userClaims({ user_id: 'racer', org_id: 'org-race' });

    const [a, b] = (await Promise.all([login(claims), login(claims)])).map(bodyOf);

    expect(a.user_id).toBe(b.user_id);
    expect(a.organization_id).toBe(b.organization_id);
    expect([a.is_new_user, b.is_new_user].filter(Boolean)).toHaveLength(1);
  });

  it('keeps the same partner org id of two partners apart', async () => {
    const globex = await onboardPartner(env.runtime, 'globex');
    const claims = userClaims({ user_id: 'same-user', org_id: 'same-org' });

    const fromAcme = bodyOf(await login(claims, acme));
    const fromGlobex = bodyOf(await login(claims, globex));

    expect(fromGlobex.organization_id).not.toBe(fromAcme.organization_id);
    expect(fromGlobex.is_new_user).toBe(true);
  });

  it('accepts a token that carries a jti only once', async () => {
    const claims = userClaims({ user_id: 'single-use', jti: 'token-id-1' });

    const first = await login(claims);
    const replay = await login(claims);
    const fresh = await login({ ...claims, jti: 'token-id-2' });

    expect(first.statusCode).toBe(200);
    expect(replay.statusCode).toBe(401);
    expect(bodyOf(replay).error.code).toBe('token_replayed');
    expect(fresh.statusCode).toBe(200);
  });

  it('answers a bad token with 401 and a JSON error code', async () => {
    const result = await embedAuth(
      proxyEvent('POST', '/api/v1/embed/auth', { body: { token: 'x.y.z' } }),
    );

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).error.code).toBe('invalid_token');
  });

  it.each([
    { input: 'malformed JSON', body: '{"token": ', status: 400, code: 'invalid_json' },
    { input: 'a missing token', body: {}, status: 400, code: 'validation_failed' },
    {
      input: 'an oversized body',
      body: { token: 'a'.repeat(20_000) },
      status: 413,
      code: 'payload_too_large',
    },
  ])('answers $input with $status $code', async ({ body, status, code }) => {
    const result = await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body }));

    expect(result.statusCode).toBe(status);
    expect(bodyOf(result).error.code).toBe(code);
  });
});

describe('session routes', () => {
  it('returns the profile, organization and role for a valid access token', async () => {
    const claims = userClaims({ user_id: 'profile-user', org_id: 'org-profile', role: 'admin' });
    const login1 = bodyOf(await login(claims));

    const result = await profile(login1.session.access_token);

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({
      user: { user_id: login1.user_id, partner_user_id: 'profile-user', role: 'admin' },
      organization: { organization_id: login1.organization_id, partner_org_id: 'org-profile' },
    });
  });

  it.each([
    ['no Authorization header', {}, 'missing_credentials'],
    ['a non-bearer scheme', { authorization: 'Basic abc' }, 'missing_credentials'],
    ['a forged token', bearer('eyJhbGciOiJIUzI1NiJ9.e30.c2ln'), 'invalid_access_token'],
  ])('refuses %s', async (_, headers, code) => {
    const result = await me(proxyEvent('GET', '/api/v1/me', { headers }));

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).error.code).toBe(code);
  });

  it('ends the session after an hour without activity', async () => {
    const session = bodyOf(await login()).session;

    env.clock.advanceSeconds(3601);
    const result = await refresh(session.refresh_token);

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).error.code).toBe('session_expired');
  });

  it('ends the session 24 hours after login however active it is', async () => {
    const loggedInAt = Math.floor(env.clock.now() / 1000);
    let session = bodyOf(await login()).session;

    while (Math.floor(env.clock.now() / 1000) - loggedInAt < 86_400 - 3000) {
      env.clock.advanceSeconds(3000);
      const result = await refresh(session.refresh_token);
      expect(result.statusCode).toBe(200);
      session = bodyOf(result).session;
      expect(session.expires_at).toBeLessThanOrEqual(loggedInAt + 86_400);
    }
    env.clock.advanceSeconds(loggedInAt + 86_400 - Math.floor(env.clock.now() / 1000) + 1);
    const expired = await refresh(session.refresh_token);

    expect(expired.statusCode).toBe(401);
    expect(bodyOf(expired).error.code).toBe('session_expired');
  });
});

describe('refresh and logout', () => {
  it('rotates the refresh token: the new one works, the old one no longer does', async () => {
    const first = bodyOf(await login()).session;

    const rotated = await refresh(first.refresh_token);

    expect(rotated.statusCode).toBe(200);
    const second = bodyOf(rotated).session;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await profile(second.access_token)).statusCode).toBe(200);
  });

  it('revokes the whole session when a rotated refresh token is presented again', async () => {
    const first = bodyOf(await login()).session;
    const second = bodyOf(await refresh(first.refresh_token)).session;

    const reuse = await refresh(first.refresh_token);

    expect(reuse.statusCode).toBe(401);
    expect(bodyOf(reuse).error.code).toBe('refresh_token_reused');
    expect((await refresh(second.refresh_token)).statusCode).toBe(401);
    expect((await profile(second.access_token)).statusCode).toBe(401);
  });

  it('refuses a refresh token that was never issued', async () => {
    const result = await refresh('v1.not-a-real-org.not-a-session.secret');

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).error.code).toBe('invalid_refresh_token');
  });

  it('logs out: the access and refresh tokens stop working on the next request', async () => {
    const session = bodyOf(await login()).session;

    const result = await embedLogout(
      proxyEvent('POST', '/api/v1/embed/logout', { headers: bearer(session.access_token) }),
    );

    expect(result.statusCode).toBe(204);
    expect((await profile(session.access_token)).statusCode).toBe(401);
    expect((await refresh(session.refresh_token)).statusCode).toBe(401);
  });
});
