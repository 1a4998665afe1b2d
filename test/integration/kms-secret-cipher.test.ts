import { randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsSecretCipher, type KmsSender } from '../../lambdas/adapters/kms-secret-cipher.js';
import { AppError } from '../../lambdas/core/errors.js';
import { SecretDecryptionError } from '../../lambdas/core/secret-cipher.js';
import { handler as partnerPut } from '../../lambdas/handlers/partner-secret-put.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { bodyOf } from '../support/invoke.js';
import { captureLogs } from '../support/log-capture.js';
import { onboardPartner } from '../support/partners.js';
import { partnerEvent, secretValue } from '../support/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

const KEY_ARN = 'arn:aws:kms:eu-north-1:123456789012:key/secrets';
const context = { partnerId: 'acme', organizationId: 'org-uuid', secretKey: 'OPENAI_API_KEY' };

/**
 * KMS at the adapter boundary: it keeps each plaintext with the key and context it was
 * encrypted under and, like KMS, refuses a decryption under any other context.
 */
class FakeKms implements KmsSender {
  readonly sent: (EncryptCommand | DecryptCommand)[] = [];
  failWith?: Error;
  private readonly blobs = new Map<string, { plaintext: Uint8Array; context: string }>();

  send = (async (command: EncryptCommand | DecryptCommand) => {
    this.sent.push(command);
    if (this.failWith) throw this.failWith;

    const input = command.input;
    const bound = JSON.stringify(input.EncryptionContext);
    if (command instanceof EncryptCommand) {
      const blob = randomBytes(32);
      this.blobs.set(blob.toString('hex'), { plaintext: command.input.Plaintext!, context: bound });
      return { CiphertextBlob: blob, KeyId: KEY_ARN };
    }
    const stored = this.blobs.get(Buffer.from(command.input.CiphertextBlob!).toString('hex'));
    if (!stored || stored.context !== bound) throw awsError('InvalidCiphertextException');
    return { Plaintext: stored.plaintext, KeyId: KEY_ARN };
  }) as KmsSender['send'];
}

function awsError(name: string): Error {
  return Object.assign(new Error(`${name}: details naming ${KEY_ARN}`), { name });
}

describe('KmsSecretCipher', () => {
  it('encrypts with the secrets key under the partner, organization and key context', async () => {
    const kms = new FakeKms();
    const cipher = new KmsSecretCipher(kms, KEY_ARN);

    const ciphertext = await cipher.encrypt('sk_live_value', context);
    const plaintext = await cipher.decrypt(ciphertext, context);

    expect(plaintext).toBe('sk_live_value');
    expect(kms.sent.map((command) => command.input)).toEqual([
      expect.objectContaining({
        KeyId: KEY_ARN,
        EncryptionContext: {
          partner_id: 'acme',
          organization_id: 'org-uuid',
          secret_key: 'OPENAI_API_KEY',
        },
      }),
      expect.objectContaining({ KeyId: KEY_ARN, EncryptionContext: expect.any(Object) }),
    ]);
  });

  it('turns a ciphertext KMS refuses under this context into SecretDecryptionError', async () => {
    const cipher = new KmsSecretCipher(new FakeKms(), KEY_ARN);
    const ciphertext = await cipher.encrypt('sk_live_value', context);

    const moved = cipher.decrypt(ciphertext, { ...context, organizationId: 'other-org' });

    await expect(moved).rejects.toBeInstanceOf(SecretDecryptionError);
    await expect(moved).rejects.toMatchObject({ secretKey: 'OPENAI_API_KEY' });
  });

  it.each([
    'ThrottlingException',
    'KMSInternalException',
    'DependencyTimeoutException',
    'AccessDeniedException',
    'DisabledException',
    'KMSInvalidStateException',
    'NotFoundException',
    'TimeoutError',
  ])('maps %s to 503 encryption_unavailable with Retry-After', async (name) => {
    const kms = new FakeKms();
    kms.failWith = awsError(name);
    const cipher = new KmsSecretCipher(kms, KEY_ARN);

    const encrypting = cipher.encrypt('sk_live_value', context).catch((error) => error);
    const decrypting = cipher.decrypt(new Uint8Array(8), context).catch((error) => error);

    for (const error of [await encrypting, await decrypting]) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'encryption_unavailable', status: 503 });
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      expect(error.message).not.toContain(KEY_ARN);
    }
  });
});

describe('a secret route when KMS fails', () => {
  let env: TestEnvironment;
  const kms = new FakeKms();

  beforeAll(async () => {
    env = await createTestEnvironment();
    installRuntime({ ...env.runtime, secretCipher: new KmsSecretCipher(kms, KEY_ARN) });
    await onboardPartner(env.runtime, 'acme');
  });

  afterAll(() => env.dispose());

  it('answers 503 with Retry-After and no value or key name, in the body or the logs', async () => {
    kms.failWith = awsError('ThrottlingException');
    const value = secretValue('kms-down');
    const logs = captureLogs();

    let result;
    try {
      result = await partnerPut(
        partnerEvent(
          'POST',
          '/api/v1/partner/secrets',
          { partnerId: 'acme' },
          {
            body: { org_id: 'org-kms', key: 'OPENAI_API_KEY', value },
          },
        ),
      );
    } finally {
      logs.restore();
    }

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('2');
    expect(bodyOf(result).error.code).toBe('encryption_unavailable');
    expect(result.body).not.toContain(value);
    expect(result.body).not.toContain(KEY_ARN);
    expect(logs.lines.some((line) => line.includes('encryption_unavailable'))).toBe(true);
    expect(logs.lines.filter((line) => line.includes(value) || line.includes(KEY_ARN))).toEqual([]);
  });

  it('stores the KMS ciphertext through the route once KMS answers again', async () => {
    kms.failWith = undefined;

    const result = await partnerPut(
      partnerEvent(
        'POST',
        '/api/v1/partner/secrets',
        { partnerId: 'acme' },
        {
          body: { org_id: 'org-kms', key: 'OPENAI_API_KEY', value: secretValue('kms-up') },
        },
      ),
    );

    expect(result.statusCode).toBe(200);
    expect(kms.sent.at(-1)).toBeInstanceOf(EncryptCommand);
  });
});
