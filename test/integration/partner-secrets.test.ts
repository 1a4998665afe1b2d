import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationRefKey, secretItemKey } from '../../lambdas/core/keys.js';
import { handler as deleteHandler } from '../../lambdas/handlers/partner-secret-delete.js';
import { handler as listHandler } from '../../lambdas/handlers/partner-secret-list.js';
import { handler as putHandler } from '../../lambdas/handlers/partner-secret-put.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bodyOf } from '../support/invoke.js';
import { onboardPartner } from '../support/partners.js';
import { partnerEvent, ResponseLog, secretValue, type PartnerCaller } from '../support/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
const responses = new ResponseLog();
const stored = new Set<string>();
const acme: PartnerCaller = { partnerId: 'acme', keyPrefix: 'pk_acme_Ab12Cd' };
const globex: PartnerCaller = { partnerId: 'globex', keyPrefix: 'pk_globex_Zz99Yy' };

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  await onboardPartner(env.runtime, 'acme');
  await onboardPartner(env.runtime, 'globex');
});

afterAll(() => env.dispose());

const put = responses.wrap(putHandler);
const list = responses.wrap(listHandler);
const remove = responses.wrap(deleteHandler);

function putSecret(body: Record<string, unknown>, caller = acme) {
  // Values too short to be told apart from ordinary text are not worth scanning for.
  if (typeof body.value === 'string' && body.value.length >= 8) stored.add(body.value);
  return put(partnerEvent('POST', '/api/v1/partner/secrets', caller, { body }));
}

const listSecrets = (orgId: string, caller = acme) =>
  list(
    partnerEvent('GET', `/api/v1/partner/secrets/${orgId}`, caller, {
      pathParameters: { org_id: orgId },
    }),
  );

const deleteSecret = (orgId: string, key: string, caller = acme) =>
  remove(
    partnerEvent('DELETE', `/api/v1/partner/secrets/${orgId}/${key}`, caller, {
      pathParameters: { org_id: orgId, key },
    }),
  );

async function organizationIdOf(partnerId: string, partnerOrgId: string): Promise<string> {
  const ref = await env.runtime.table.get(organizationRefKey(partnerId, partnerOrgId));
  return ref!.target_id as string;
}

describe('partner secrets API', () => {
  it('creates a secret for an org no user has used yet, answering metadata only', async () => {
    const value = secretValue('create');

    const result = await putSecret({
      org_id: 'org_67890',
      key: 'YOUR_PLATFORM_API_KEY',
      value,
      description: 'API key for customer integration',
      managed_by: 'partner',
    });

    expect(result.statusCode).toBe(200);
    const body = bodyOf(result);
    expect(Object.keys(body).sort()).toEqual(
      ['created_at', 'description', 'key', 'managed_by', 'org_id', 'updated_at'].sort(),
    );
    expect(body).toMatchObject({
      org_id: 'org_67890',
      key: 'YOUR_PLATFORM_API_KEY',
      description: 'API key for customer integration',
      managed_by: 'partner',
    });
    expect(body.created_at).toBe(body.updated_at);
  });

  it('lists metadata in the spec shape, without value, hash or ciphertext', async () => {
    await putSecret({ org_id: 'org-list', key: 'B_KEY', value: secretValue('b') });
    await putSecret({
      org_id: 'org-list',
      key: 'A_KEY',
      value: secretValue('a'),
      managed_by: 'user',
    });

    const result = await listSecrets('org-list');

    expect(result.statusCode).toBe(200);
    const body = bodyOf(result);
    expect(body.map((s: { key: string }) => s.key)).toEqual(['A_KEY', 'B_KEY']);
    for (const secret of body) {
      expect(Object.keys(secret).sort()).toEqual(
        ['created_at', 'description', 'key', 'managed_by', 'updated_at'].sort(),
      );
    }
    expect(body[0].managed_by).toBe('user');
    expect(body[1].managed_by).toBe('partner');
  });

  it('replaces value and description, keeping created_at and moving updated_at', async () => {
    await putSecret({ org_id: 'org-replace', key: 'TOKEN', value: secretValue('old') });
    const created = bodyOf(await listSecrets('org-replace'))[0];
    env.clock.advanceSeconds(60);
    const newValue = secretValue('new');

    const replaced = bodyOf(
      await putSecret({
        org_id: 'org-replace',
        key: 'TOKEN',
        value: newValue,
        description: 'rotated',
      }),
    );

    expect(replaced.created_at).toBe(created.created_at);
    expect(replaced.updated_at > created.updated_at).toBe(true);
    expect(replaced.description).toBe('rotated');
    const organizationId = await organizationIdOf('acme', 'org-replace');
    const item = await env.runtime.table.get(secretItemKey(organizationId, 'TOKEN'));
    const plaintext = await env.runtime.secretCipher.decrypt(item!.ciphertext as Uint8Array, {
      partnerId: 'acme',
      organizationId,
      secretKey: 'TOKEN',
    });
    expect(plaintext).toBe(newValue);
  });

  it('stores only ciphertext, and records which partner key wrote the secret', async () => {
    const value = secretValue('at-rest');
    await putSecret({ org_id: 'org-at-rest', key: 'AT_REST', value });

    const organizationId = await organizationIdOf('acme', 'org-at-rest');
    const item = await env.runtime.table.get(secretItemKey(organizationId, 'AT_REST'));

    expect(JSON.stringify(item)).not.toContain(value);
    expect(Buffer.from(item!.ciphertext as Uint8Array).toString('latin1')).not.toContain(value);
    expect(item).toMatchObject({
      created_by: 'partner:pk_acme_Ab12Cd',
      updated_by: 'partner:pk_acme_Ab12Cd',
    });
  });

  it('deletes a secret, and answers 404 for one that does not exist', async () => {
    await putSecret({ org_id: 'org-delete', key: 'GONE', value: secretValue('gone') });

    const first = await deleteSecret('org-delete', 'GONE');
    const second = await deleteSecret('org-delete', 'GONE');

    expect(first.statusCode).toBe(204);
    expect(first.body).toBe('');
    expect(bodyOf(await listSecrets('org-delete'))).toEqual([]);
    expect(second.statusCode).toBe(404);
    expect(bodyOf(second).error.code).toBe('not_found');
  });

  it('answers 404 for an organization the partner never provisioned', async () => {
    const listed = await listSecrets('org-never');
    const deleted = await deleteSecret('org-never', 'ANY');

    expect(listed.statusCode).toBe(404);
    expect(bodyOf(listed).error.code).toBe('not_found');
    expect(deleted.statusCode).toBe(404);
  });
});

describe('isolation between partners', () => {
  it("gives another partner's organization the same 404 as one that does not exist", async () => {
    await putSecret({ org_id: 'org-acme-only', key: 'PRIVATE', value: secretValue('p') });

    const listed = await listSecrets('org-acme-only', globex);
    const deleted = await deleteSecret('org-acme-only', 'PRIVATE', globex);
    const missing = await listSecrets('org-nobody', globex);

    expect(listed.statusCode).toBe(404);
    expect(bodyOf(listed)).toEqual(bodyOf(missing));
    expect(deleted.statusCode).toBe(404);
    expect(bodyOf(deleted)).toEqual(bodyOf(missing));
    expect(bodyOf(await listSecrets('org-acme-only'))).toHaveLength(1);
  });

  it('keeps one org id of two partners in separate organizations', async () => {
    await putSecret({ org_id: 'org-shared-name', key: 'SHARED', value: secretValue('acme') });

    await putSecret({ org_id: 'org-shared-name', key: 'OTHER', value: secretValue('g') }, globex);

    const forAcme = bodyOf(await listSecrets('org-shared-name'));
    const forGlobex = bodyOf(await listSecrets('org-shared-name', globex));
    expect(forAcme.map((s: { key: string }) => s.key)).toEqual(['SHARED']);
    expect(forGlobex.map((s: { key: string }) => s.key)).toEqual(['OTHER']);
    expect(await organizationIdOf('globex', 'org-shared-name')).not.toBe(
      await organizationIdOf('acme', 'org-shared-name'),
    );
  });

  it('cannot reach another partition through a crafted org id', async () => {
    const crafted = 'x#SECRET#YOUR_PLATFORM_API_KEY';

    const listed = await listSecrets(crafted);

    expect(listed.statusCode).toBe(404);
  });
});

describe('responses of this suite', () => {
  it('never contained a stored value, whatever the route or status', () => {
    expect(responses.count).toBeGreaterThan(20);
    expect(stored.size).toBeGreaterThan(5);

    expect(responses.leaked(stored)).toEqual([]);
  });
});
