import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type RunningTwin } from '../../local/twin.js';
import { logicnodes } from '../support/cli.js';
import { call } from '../support/http.js';

let dataDir: string;
let twin: RunningTwin;
let keyId: string;
let privateKeyFile: string;

/** A partner's key pair on disk in the PEM formats openssl writes. */
function writeKeyPair(dir: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePath = join(dir, 'private.pem');
  const publicPath = join(dir, 'public.pem');
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privatePath, publicPath };
}

async function signToken(userId: string, orgId: string, extra: string[] = []): Promise<string> {
  const args = ['token', 'sign', '--key', privateKeyFile, '--kid', keyId, ...extra];
  const claims = ['--user-id', userId, '--org-id', orgId, '--email', 'a@acme.test', '--name', 'A'];
  const result = await logicnodes([...args, ...claims, '--org-name', 'Acme'], dataDir);
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-twin-'));
  const { privatePath, publicPath } = writeKeyPair(dataDir);
  privateKeyFile = privatePath;

  // Onboarding before the twin runs: the CLI opens the store itself.
  const created = await logicnodes(
    ['partner', 'create', '--id', 'acme', '--name', 'Acme', '--public-key', publicPath],
    dataDir,
  );
  expect(created.code).toBe(0);
  keyId = JSON.parse(created.stdout).key_id;

  twin = await startTwin({ dataDir, port: 0 });
});

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local twin over HTTP', () => {
  it('runs the embed flow: login, me, refresh, refresh reuse, logout', async () => {
    const token = await signToken('user-1', 'org-1');

    const first = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });
    const second = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });
    expect(first.status).toBe(200);
    expect(first.body.is_new_user).toBe(true);
    expect(second.body.is_new_user).toBe(false);

    const me = await call(twin.url, 'GET', '/api/v1/me', {
      token: first.body.session.access_token,
    });
    expect(me.status).toBe(200);
    expect(me.body.user.partner_user_id).toBe('user-1');

    const refreshed = await call(twin.url, 'POST', '/api/v1/embed/refresh', {
      body: { refresh_token: first.body.session.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    const reused = await call(twin.url, 'POST', '/api/v1/embed/refresh', {
      body: { refresh_token: first.body.session.refresh_token },
    });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('refresh_token_reused');

    const session = second.body.session;
    const logout = await call(twin.url, 'POST', '/api/v1/embed/logout', {
      token: session.access_token,
    });
    expect(logout.status).toBe(204);
    const after = await call(twin.url, 'GET', '/api/v1/me', { token: session.access_token });
    expect(after.status).toBe(401);
  });

  it('signs single-use tokens on request, which a second exchange cannot reuse', async () => {
    const token = await signToken('user-once', 'org-1', ['--single-use']);

    const first = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });
    const again = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });

    expect(first.status).toBe(200);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('token_replayed');
  });

  it('onboards a partner while it runs, through the running store', async () => {
    const { publicPath } = writeKeyPair(mkdtempSync(join(dataDir, 'globex-')));

    const created = await logicnodes(
      ['partner', 'create', '--id', 'globex', '--name', 'Globex', '--public-key', publicPath],
      dataDir,
    );

    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ partner_id: 'globex' });
    expect(JSON.parse(created.stdout).api_key).toMatch(/^pk_globex_[A-Za-z0-9_-]{43}$/);
  });

  it('refuses to onboard the same partner id twice', async () => {
    const { publicPath } = writeKeyPair(mkdtempSync(join(dataDir, 'again-')));

    const again = await logicnodes(
      ['partner', 'create', '--id', 'acme', '--name', 'Acme', '--public-key', publicPath],
      dataDir,
    );

    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr).error.code).toBe('partner_exists');
  });

  it.each([
    ['GET', '/api/v1/nothing-here', 404, 'not_found'],
    ['GET', '/api/v1/embed/auth', 405, 'method_not_allowed'],
    ['DELETE', '/api/v1/me', 405, 'method_not_allowed'],
  ])('answers %s %s with %i in JSON', async (method, path, status, code) => {
    const result = await call(twin.url, method, path);

    expect(result.status).toBe(status);
    expect(result.body.error.code).toBe(code);
  });

  it('answers malformed JSON with 400', async () => {
    const result = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: '{"token":' });

    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('invalid_json');
  });

  it('answers an invalid embed token with 401 and no hint about partners or keys', async () => {
    const result = await call(twin.url, 'POST', '/api/v1/embed/auth', {
      body: { token: 'eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vYm9keSJ9.e30.c2ln' },
    });

    expect(result.status).toBe(401);
    expect(result.body).toEqual({
      error: { code: 'invalid_token', message: 'The token could not be verified' },
    });
  });

  it('lets browsers on partner pages call the embed routes (CORS)', async () => {
    const preflight = await fetch(`${twin.url}/api/v1/embed/auth`, { method: 'OPTIONS' });

    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers no CORS preflight on partner routes, which browsers must not call', async () => {
    const preflight = await fetch(`${twin.url}/api/v1/partner/api-key/info`, {
      method: 'OPTIONS',
    });

    expect(preflight.status).toBe(405);
  });

  it('creates its secrets encryption key on start, readable only by its owner', () => {
    const mode = statSync(join(dataDir, 'secrets-key')).mode & 0o777;

    expect(mode).toBe(0o600);
  });

  it('keeps data and sessions across a restart', async () => {
    const token = await signToken('user-restart', 'org-restart');
    const login = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });

    await twin.stop();
    twin = await startTwin({ dataDir, port: 0 });

    const me = await call(twin.url, 'GET', '/api/v1/me', {
      token: login.body.session.access_token,
    });
    expect(me.status).toBe(200);
    expect(me.body.user.user_id).toBe(login.body.user_id);
  });
});

describe('the CLI', () => {
  it('explains its usage when a required option is missing', async () => {
    const result = await logicnodes(['partner', 'create', '--id', 'x'], dataDir);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--name is required');
  });

  it('refuses a public key that is not RSA of at least 2048 bits', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const path = join(dataDir, 'weak.pem');
    writeFileSync(path, weak.export({ type: 'spki', format: 'pem' }));

    const result = await logicnodes(
      ['partner', 'create', '--id', 'weak', '--name', 'Weak', '--public-key', path],
      dataDir,
    );

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error.code).toBe('validation_failed');
  });
});
