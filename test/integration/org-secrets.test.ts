import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrganizationSecrets } from '../../lambdas/core/secret-injection.js';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { handler as orgDelete } from '../../lambdas/handlers/org-secret-delete.js';
import { handler as orgList } from '../../lambdas/handlers/org-secret-list.js';
import { handler as orgPut } from '../../lambdas/handlers/org-secret-put.js';
import { handler as partnerDelete } from '../../lambdas/handlers/partner-secret-delete.js';
import { handler as partnerList } from '../../lambdas/handlers/partner-secret-list.js';
import { handler as partnerPut } from '../../lambdas/handlers/partner-secret-put.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bearer, bodyOf, proxyEvent } from '../support/invoke.js';
import {
  onboardPartner,
  signEmbedToken,
  userClaims,
  type TestPartner,
} from '../support/partners.js';
import { partnerEvent, ResponseLog, secretValue } from '../support/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let acme: TestPartner;
const responses = new ResponseLog();
const stored = new Set<string>();
const ORG = 'org-dashboard';

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  acme = await onboardPartner(env.runtime, 'acme');
});

afterAll(() => env.dispose());

/** Logs a user in through embed auth; answers the access token and our organization id. */
async function signIn(role: string, userId: string, orgId = ORG) {
  const token = await signEmbedToken(acme, {
    claims: userClaims({ user_id: userId, org_id: orgId, role }),
    nowMs: env.clock.now(),
  });
  const body = bodyOf(
    await responses.wrap(embedAuth)(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } })),
  );
  return { accessToken: body.session.access_token as string, organizationId: body.organization_id };
}

const list = (accessToken: string) =>
  responses.wrap(orgList)(
    proxyEvent('GET', '/api/v1/org/secrets', { headers: bearer(accessToken) }),
  );

function put(accessToken: string, key: string, body: Record<string, unknown>) {
  if (typeof body.value === 'string') stored.add(body.value);
  return responses.wrap(orgPut)(
    proxyEvent('PUT', `/api/v1/org/secrets/${key}`, {
      headers: bearer(accessToken),
      pathParameters: { key },
      body,
    }),
  );
}

const remove = (accessToken: string, key: string) =>
  responses.wrap(orgDelete)(
    proxyEvent('DELETE', `/api/v1/org/secrets/${key}`, {
      headers: bearer(accessToken),
      pathParameters: { key },
    }),
  );

function partnerPutSecret(body: Record<string, unknown>) {
  stored.add(body.value as string);
  return responses.wrap(partnerPut)(
    partnerEvent('POST', '/api/v1/partner/secrets', { partnerId: 'acme' }, { body }),
  );
}

const partnerListSecrets = (orgId: string) =>
  responses.wrap(partnerList)(
    partnerEvent(
      'GET',
      `/api/v1/partner/secrets/${orgId}`,
      { partnerId: 'acme' },
      {
        pathParameters: { org_id: orgId },
      },
    ),
  );

const keysOf = (result: { body: string }) =>
  (JSON.parse(result.body) as { key: string }[]).map((s) => s.key);

describe('dashboard secrets API', () => {
  let admin: string;
  let member: string;
  let viewer: string;
  const partnerValue = secretValue('partner-managed');

  beforeAll(async () => {
    admin = (await signIn('admin', 'dash-admin')).accessToken;
    member = (await signIn('member', 'dash-member')).accessToken;
    viewer = (await signIn('viewer', 'dash-viewer')).accessToken;
    await partnerPutSecret({
      org_id: ORG,
      key: 'PLATFORM_KEY',
      value: partnerValue,
      managed_by: 'partner',
    });
  });

  it('lets every role list the metadata of its organization', async () => {
    for (const token of [admin, member, viewer]) {
      const result = await list(token);

      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toEqual([
        expect.objectContaining({ key: 'PLATFORM_KEY', managed_by: 'partner' }),
      ]);
    }
  });

  it('lets an admin create, replace and delete a user-managed secret', async () => {
    const created = await put(admin, 'OPENAI_API_KEY', {
      value: secretValue('openai-1'),
      description: 'My OpenAI key',
    });
    const replaced = await put(admin, 'OPENAI_API_KEY', { value: secretValue('openai-2') });

    expect(created.statusCode).toBe(200);
    expect(bodyOf(created)).toMatchObject({
      key: 'OPENAI_API_KEY',
      managed_by: 'user',
      description: 'My OpenAI key',
    });
    expect(bodyOf(replaced).created_at).toBe(bodyOf(created).created_at);
    expect(keysOf(await list(viewer))).toEqual(['OPENAI_API_KEY', 'PLATFORM_KEY']);
    expect(keysOf(await partnerListSecrets(ORG))).toEqual(['OPENAI_API_KEY', 'PLATFORM_KEY']);

    const deleted = await remove(admin, 'OPENAI_API_KEY');

    expect(deleted.statusCode).toBe(204);
    expect(keysOf(await list(admin))).toEqual(['PLATFORM_KEY']);
  });

  it.each(['member', 'viewer'])(
    'refuses a %s writing or deleting with 403 forbidden',
    async (role) => {
      const token = role === 'member' ? member : viewer;
      await put(admin, 'USER_KEY', { value: secretValue('user-key') });

      const written = await put(token, 'USER_KEY', { value: secretValue(`by-${role}`) });
      const deleted = await remove(token, 'USER_KEY');

      expect(written.statusCode).toBe(403);
      expect(bodyOf(written).error.code).toBe('forbidden');
      expect(deleted.statusCode).toBe(403);
      expect(bodyOf(deleted).error.code).toBe('forbidden');
      expect(keysOf(await list(admin))).toContain('USER_KEY');
    },
  );

  it('keeps a partner-managed secret safe from an admin changing or deleting it', async () => {
    const written = await put(admin, 'PLATFORM_KEY', { value: secretValue('hijack') });
    const deleted = await remove(admin, 'PLATFORM_KEY');

    expect(written.statusCode).toBe(403);
    expect(bodyOf(written).error.code).toBe('secret_managed_by_partner');
    expect(deleted.statusCode).toBe(403);
    expect(bodyOf(deleted).error.code).toBe('secret_managed_by_partner');
    const { organizationId } = await signIn('admin', 'dash-admin');
    const value = await withOrganizationSecrets(env.runtime, organizationId, async (secrets) =>
      secrets.get('PLATFORM_KEY'),
    );
    expect(value).toBe(partnerValue);
  });

  it('lets the partner delete a user-managed secret', async () => {
    await put(admin, 'USER_OWNED', { value: secretValue('user-owned') });

    const result = await responses.wrap(partnerDelete)(
      partnerEvent(
        'DELETE',
        `/api/v1/partner/secrets/${ORG}/USER_OWNED`,
        { partnerId: 'acme' },
        {
          pathParameters: { org_id: ORG, key: 'USER_OWNED' },
        },
      ),
    );

    expect(result.statusCode).toBe(204);
    expect(keysOf(await list(admin))).not.toContain('USER_OWNED');
  });

  it('answers 404 for deleting a secret that does not exist, 400 for a bad name', async () => {
    const missing = await remove(admin, 'NEVER_THERE');
    const badName = await put(admin, 'lower_case', { value: secretValue('bad-name') });

    expect(missing.statusCode).toBe(404);
    expect(bodyOf(missing).error.code).toBe('not_found');
    expect(badName.statusCode).toBe(400);
    expect(bodyOf(badName).error.code).toBe('invalid_secret_key');
  });

  it('refuses an oversized value with 413 secret_value_too_large', async () => {
    const result = await put(admin, 'TOO_BIG', { value: 'x'.repeat(4097) });

    expect(result.statusCode).toBe(413);
    expect(bodyOf(result).error.code).toBe('secret_value_too_large');
  });

  it('refuses a request without a session with 401', async () => {
    const result = await responses.wrap(orgList)(proxyEvent('GET', '/api/v1/org/secrets'));

    expect(result.statusCode).toBe(401);
  });
});

describe('isolation between organizations', () => {
  it("never shows, changes or deletes another organization's secrets", async () => {
    const ownerAdmin = (await signIn('admin', 'owner-admin', 'org-owner')).accessToken;
    const otherAdmin = (await signIn('admin', 'other-admin', 'org-other')).accessToken;
    const ownerValue = secretValue('owner');
    await put(ownerAdmin, 'SHARED_NAME', { value: ownerValue });

    const seen = await list(otherAdmin);
    const deleted = await remove(otherAdmin, 'SHARED_NAME');
    await put(otherAdmin, 'SHARED_NAME', { value: secretValue('other') });

    expect(bodyOf(seen)).toEqual([]);
    expect(deleted.statusCode).toBe(404);
    const { organizationId } = await signIn('admin', 'owner-admin', 'org-owner');
    const value = await withOrganizationSecrets(env.runtime, organizationId, async (secrets) =>
      secrets.get('SHARED_NAME'),
    );
    expect(value).toBe(ownerValue);
  });
});

describe('responses of this suite', () => {
  it('never contained a stored value, whatever the route or status', () => {
    expect(responses.count).toBeGreaterThan(20);

    expect(responses.leaked(stored)).toEqual([]);
  });
});
