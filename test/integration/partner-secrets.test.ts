import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationRefKey, secretItemKey } from '../../lambdas/core/keys.js';
import { handler as deleteHandler } from '../../lambdas/handlers/partner-secret-delete.js';
import { handler as listHandler } from '../../lambdas/handlers/partner-secret-list.js';
import { handler as putHandler } from '../../lambdas/handlers/partner-secret-put.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bodyOf } from '../support/invoke.js';
import { onboardPartner } from '../support/partners.js';
import {
  CountingCipher,
  partnerEvent,
  ResponseLog,
  secretValue,
  type PartnerCaller,
} from '../support/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let cipher: CountingCipher;
const responses = new ResponseLog();
const stored = new Set<string>();
const acme: PartnerCaller = { partnerId: 'acme', keyPrefix: 'pk_acme_Ab12Cd' };
const globex: PartnerCaller = { partnerId: 'globex', keyPrefix: 'pk_globex_Zz99Yy' };

beforeAll(async () => {
  env = await createTestEnvironment();
  cipher = new CountingCipher(env.runtime.secretCipher);
  installRuntime({ ...env.runtime, secretCipher: cipher });
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
  it('creates a secret for an organization no user has logged in to, answering metadata only', async () => {
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

  it('replaces a secret: new value and description, same created_at, later updated_at', async () => {
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

  it('keeps the same org id of two partners apart: writes land in separate organizations', async () => {
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

describe('limits', () => {
  it.each([
    ['a lower-case name', 'openai_key'],
    ['a name starting with a digit', '1KEY'],
    ['a name with a dash', 'MY-KEY'],
    ['a name of 129 characters', 'K'.repeat(129)],
    ['an empty name', ''],
  ])('refuses %s with 400 invalid_secret_key', async (_, key) => {
    const result = await putSecret({ org_id: 'org-limits', key, value: secretValue('n') });

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).error.code).toBe('invalid_secret_key');
  });

  it('accepts a name of 128 characters and a value of exactly 4096 bytes', async () => {
    const value = 'é'.repeat(2048);
    stored.add(value);

    const result = await putSecret({ org_id: 'org-limits', key: 'K'.repeat(128), value });

    expect(result.statusCode).toBe(200);
  });

  it.each([
    ['4097 ASCII bytes', 'v'.repeat(4097)],
    ['2049 two-byte characters (4098 bytes)', 'é'.repeat(2049)],
  ])('refuses a value of %s with 413 before any encryption', async (_, value) => {
    const before = cipher.encryptCalls;

    const result = await putSecret({ org_id: 'org-too-large', key: 'BIG', value });

    expect(result.statusCode).toBe(413);
    expect(bodyOf(result).error.code).toBe('secret_value_too_large');
    expect(cipher.encryptCalls).toBe(before);
    expect((await listSecrets('org-too-large')).statusCode).toBe(404);
  });

  it('refuses a description over 500 characters and an empty value with 400', async () => {
    const longDescription = await putSecret({
      org_id: 'org-limits',
      key: 'DESCRIBED',
      value: secretValue('d'),
      description: 'd'.repeat(501),
    });
    const emptyValue = await putSecret({ org_id: 'org-limits', key: 'EMPTY', value: '' });

    expect(longDescription.statusCode).toBe(400);
    expect(bodyOf(longDescription).error.code).toBe('validation_failed');
    expect(emptyValue.statusCode).toBe(400);
  });

  it('refuses an unknown managed_by and a missing org_id with 400 validation_failed', async () => {
    const wrongMode = await putSecret({
      org_id: 'org-limits',
      key: 'MODE',
      value: secretValue('m'),
      managed_by: 'nobody',
    });
    const noOrg = await putSecret({ key: 'MODE', value: secretValue('m') });

    expect(wrongMode.statusCode).toBe(400);
    expect(bodyOf(wrongMode).error.code).toBe('validation_failed');
    expect(noOrg.statusCode).toBe(400);
  });
});

describe('responses of this suite', () => {
  it('never contained a stored value, whatever the route or status', () => {
    expect(responses.count).toBeGreaterThan(30);
    expect(stored.size).toBeGreaterThan(10);

    expect(responses.leaked(stored)).toEqual([]);
  });
});
