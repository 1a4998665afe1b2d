import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { handler as embedAuth } from '../../lambdas/handlers/embed-auth.js';
import { handler as orgDelete } from '../../lambdas/handlers/org-secret-delete.js';
import { handler as orgPut } from '../../lambdas/handlers/org-secret-put.js';
import { handler as generate } from '../../lambdas/handlers/partner-api-key-generate.js';
import { handler as partnerDelete } from '../../lambdas/handlers/partner-secret-delete.js';
import { handler as partnerPut } from '../../lambdas/handlers/partner-secret-put.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { auditRecordsOf, scanAuditTable } from '../support/audit.js';
import { bearer, bodyOf, proxyEvent } from '../support/invoke.js';
import { callPartnerRoute } from '../support/partner-calls.js';
import { onboardPartner, signEmbedToken, userClaims } from '../support/partners.js';
import { partnerEvent, secretValue } from '../support/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
const values: string[] = [];
const caller = { partnerId: 'acme', keyPrefix: 'pk_acme_a1b2c3' };

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  await onboardPartner(env.runtime, 'acme');
});

afterAll(() => env.dispose());

/** Each call a second later, so "newest first" has one answer. */
function putPartnerSecret(key: string) {
  env.clock.advanceSeconds(1);
  const value = secretValue(key);
  values.push(value);
  const body = { org_id: 'org-sec', key, value, description: 'for the audit test' };
  return partnerPut(partnerEvent('POST', '/api/v1/partner/secrets', caller, { body }));
}

describe('secret events', () => {
  it('records a partner creating, then updating, a secret, with the key that did it', async () => {
    await putPartnerSecret('PLATFORM_KEY');
    await putPartnerSecret('PLATFORM_KEY');

    const [created] = await auditRecordsOf(env, 'acme', 'secret_created');
    const [updated] = await auditRecordsOf(env, 'acme', 'secret_updated');
    for (const record of [created, updated]) {
      expect(record).toMatchObject({
        success: true,
        org_id: 'org-sec',
        actor: 'api_key:pk_acme_a1b2c3',
        details: { secret_key: 'PLATFORM_KEY', managed_by: 'partner' },
      });
    }
    expect(created!.timestamp < updated!.timestamp).toBe(true);
  });

  it('records a partner deleting a secret, and a delete of none as a failure', async () => {
    const path = (key: string) => `/api/v1/partner/secrets/org-sec/${key}`;
    const del = (key: string) =>
      partnerDelete(
        partnerEvent('DELETE', path(key), caller, { pathParameters: { org_id: 'org-sec', key } }),
      );

    env.clock.advanceSeconds(1);
    expect((await del('PLATFORM_KEY')).statusCode).toBe(204);
    env.clock.advanceSeconds(1);
    expect((await del('PLATFORM_KEY')).statusCode).toBe(404);

    const [missing, deleted] = await auditRecordsOf(env, 'acme', 'secret_deleted');
    expect(deleted).toMatchObject({ success: true, details: { secret_key: 'PLATFORM_KEY' } });
    expect(missing).toMatchObject({ success: false, reason: 'not_found' });
  });

  it('records a dashboard admin writing and deleting a secret as that user', async () => {
    const token = await signEmbedToken(
      { ...(await onboardPartner(env.runtime, 'initech')) },
      { claims: userClaims({ user_id: 'admin-1', org_id: 'org-dash', role: 'admin' }) },
    );
    const login = bodyOf(
      await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } })),
    );
    const headers = bearer(login.session.access_token);
    const value = secretValue('dash');
    values.push(value);

    env.clock.advanceSeconds(1);
    await orgPut(
      proxyEvent('PUT', '/api/v1/org/secrets/OPENAI_KEY', {
        headers,
        pathParameters: { key: 'OPENAI_KEY' },
        body: { value },
      }),
    );
    env.clock.advanceSeconds(1);
    await orgDelete(
      proxyEvent('DELETE', '/api/v1/org/secrets/OPENAI_KEY', {
        headers,
        pathParameters: { key: 'OPENAI_KEY' },
      }),
    );

    const [created] = await auditRecordsOf(env, 'initech', 'secret_created');
    const [deleted] = await auditRecordsOf(env, 'initech', 'secret_deleted');
    for (const record of [created, deleted]) {
      expect(record).toMatchObject({
        success: true,
        actor: 'user:admin-1',
        user_id: 'admin-1',
        org_id: 'org-dash',
        organization_id: login.organization_id,
        details: { secret_key: 'OPENAI_KEY' },
      });
    }
  });
});

describe('refused attempts', () => {
  it("records a member's refused secret write in the partner's log", async () => {
    const token = await signEmbedToken(
      { ...(await onboardPartner(env.runtime, 'umbrella')) },
      { claims: userClaims({ user_id: 'member-1', org_id: 'org-member', role: 'member' }) },
    );
    const login = bodyOf(
      await embedAuth(proxyEvent('POST', '/api/v1/embed/auth', { body: { token } })),
    );

    const refused = await orgPut(
      proxyEvent('PUT', '/api/v1/org/secrets/NOT_YOURS', {
        headers: bearer(login.session.access_token),
        pathParameters: { key: 'NOT_YOURS' },
        body: { value: 'x' },
      }),
    );

    expect(refused.statusCode).toBe(403);
    const [record] = await auditRecordsOf(env, 'umbrella', 'secret_updated');
    expect(record).toMatchObject({
      success: false,
      reason: 'forbidden',
      actor: 'user:member-1',
      organization_id: login.organization_id,
    });
  });
});

describe('administration events', () => {
  it('records an API key generation with the new key prefix, never the key', async () => {
    const current = await issueApiKey(env.runtime.table, env.clock, 'acme');
    values.push(current.apiKey);

    const result = await callPartnerRoute(
      generate,
      proxyEvent('POST', '/api/v1/partner/api-key/generate', { headers: bearer(current.apiKey) }),
    );
    values.push(bodyOf(result).api_key);

    const [generated] = await auditRecordsOf(env, 'acme', 'api_key_generated');
    expect(generated).toMatchObject({
      success: true,
      actor: `api_key:${current.prefix}`,
      details: { key_prefix: bodyOf(result).prefix, previous_key_overlap_seconds: 0 },
    });
  });

  it('holds no secret value and no API key in any record', async () => {
    const stored = JSON.stringify(await scanAuditTable(env));

    expect(values.length).toBeGreaterThanOrEqual(4);
    for (const value of values) expect(stored).not.toContain(value);
  });
});
