import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { getRuntime } from '../../lambdas/runtime/runtime.js';
import { startTwin, type RunningTwin } from '../../local/twin.js';
import {
  onboardPartner,
  signEmbedToken,
  userClaims,
  type TestPartner,
} from '../support/partners.js';
import { ResponseLog, secretValue } from '../support/secrets.js';

let dataDir: string;
let twin: RunningTwin;
let partner: TestPartner;
let apiKey: string;
const responses = new ResponseLog();
const stored = new Set<string>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-twin-secrets-'));
  twin = await startTwin({ dataDir, port: 0 });
  const runtime = await getRuntime();
  partner = await onboardPartner(runtime, 'acme');
  apiKey = (await issueApiKey(runtime.table, runtime.clock, 'acme')).apiKey;
});

afterAll(async () => {
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, credential: string, body?: unknown) {
  if (body && typeof (body as { value?: unknown }).value === 'string') {
    stored.add((body as { value: string }).value);
  }
  const response = await fetch(`${twin.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  responses.recordText(response.headers, text);
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : '' };
}

describe('secrets over HTTP on the local twin', () => {
  it('provisions, lists and deletes a secret with a partner API key', async () => {
    const value = secretValue('twin');

    const created = await call('POST', '/api/v1/partner/secrets', apiKey, {
      org_id: 'org_67890',
      key: 'YOUR_PLATFORM_API_KEY',
      value,
      description: 'API key for customer integration',
      managed_by: 'partner',
    });
    const listed = await call('GET', '/api/v1/partner/secrets/org_67890', apiKey);
    const deleted = await call(
      'DELETE',
      '/api/v1/partner/secrets/org_67890/YOUR_PLATFORM_API_KEY',
      apiKey,
    );
    const again = await call(
      'DELETE',
      '/api/v1/partner/secrets/org_67890/YOUR_PLATFORM_API_KEY',
      apiKey,
    );

    expect(created.status).toBe(200);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ key: 'YOUR_PLATFORM_API_KEY', managed_by: 'partner' }),
    ]);
    expect(deleted.status).toBe(204);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  it('finds an organization whose id needs percent-encoding in the path', async () => {
    const orgId = 'tenants/eu#7?x=1';

    await call('POST', '/api/v1/partner/secrets', apiKey, {
      org_id: orgId,
      key: 'ENCODED_ORG_KEY',
      value: secretValue('encoded'),
    });
    const listed = await call(
      'GET',
      `/api/v1/partner/secrets/${encodeURIComponent(orgId)}`,
      apiKey,
    );

    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ key: 'ENCODED_ORG_KEY' })]);
  });

  it('keeps its encryption key in the data folder, readable only by its owner', () => {
    const stat = statSync(join(dataDir, 'secrets-key'));

    expect(stat.size).toBe(32);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('refuses a partner route without a valid API key with 401', async () => {
    const result = await call('GET', '/api/v1/partner/secrets/org_67890', 'pk_acme_wrong');

    expect(result.status).toBe(401);
  });

  it('lets an admin manage user secrets from the dashboard, and a member only read', async () => {
    const signIn = async (userId: string, role: string) => {
      const token = await signEmbedToken(partner, {
        claims: userClaims({ user_id: userId, org_id: 'org-dash', role }),
      });
      const response = await fetch(`${twin.url}/api/v1/embed/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      return ((await response.json()) as { session: { access_token: string } }).session
        .access_token;
    };
    const admin = await signIn('twin-admin', 'admin');
    const member = await signIn('twin-member', 'member');

    const put = await call('PUT', '/api/v1/org/secrets/OPENAI_API_KEY', admin, {
      value: secretValue('dash'),
    });
    const memberPut = await call('PUT', '/api/v1/org/secrets/OPENAI_API_KEY', member, {
      value: secretValue('member'),
    });
    const memberList = await call('GET', '/api/v1/org/secrets', member);
    const deleted = await call('DELETE', '/api/v1/org/secrets/OPENAI_API_KEY', admin);

    expect(put.status).toBe(200);
    expect(put.body.managed_by).toBe('user');
    expect(memberPut.status).toBe(403);
    expect(memberList.body.map((s: { key: string }) => s.key)).toEqual(['OPENAI_API_KEY']);
    expect(deleted.status).toBe(204);
  });

  it('returned no stored value in any response', () => {
    expect(responses.count).toBeGreaterThan(8);

    expect(responses.leaked(stored)).toEqual([]);
  });
});
