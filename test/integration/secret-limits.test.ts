import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as listHandler } from '../../lambdas/handlers/partner-secret-list.js';
import { handler as putHandler } from '../../lambdas/handlers/partner-secret-put.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bodyOf } from '../support/invoke.js';
import { onboardPartner } from '../support/partners.js';
import { CountingCipher, partnerEvent, ResponseLog, secretValue } from '../support/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let cipher: CountingCipher;
const responses = new ResponseLog();
const stored = new Set<string>();
const acme = { partnerId: 'acme' };

beforeAll(async () => {
  env = await createTestEnvironment();
  cipher = new CountingCipher(env.runtime.secretCipher);
  installRuntime({ ...env.runtime, secretCipher: cipher });
  await onboardPartner(env.runtime, 'acme');
});

afterAll(() => env.dispose());

function putSecret(body: Record<string, unknown>) {
  // Values too short to be told apart from ordinary text are not worth scanning for.
  if (typeof body.value === 'string' && body.value.length >= 8) stored.add(body.value);
  return responses.wrap(putHandler)(
    partnerEvent('POST', '/api/v1/partner/secrets', acme, { body }),
  );
}

const listSecrets = (orgId: string) =>
  responses.wrap(listHandler)(
    partnerEvent('GET', `/api/v1/partner/secrets/${orgId}`, acme, {
      pathParameters: { org_id: orgId },
    }),
  );

describe('secret limits on the partner API', () => {
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
  it('never contained a stored value, even in refusals', () => {
    expect(responses.count).toBeGreaterThan(10);

    expect(responses.leaked(stored)).toEqual([]);
  });
});
