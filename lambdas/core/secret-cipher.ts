import { SECRET_POLICY } from '../config/secret-policy.js';
import { AppError } from './errors.js';

/**
 * What a secret's ciphertext is bound to. Decryption succeeds only with the very context the
 * value was encrypted under, so a ciphertext copied to another organization, another partner or
 * another secret name cannot be read there.
 */
export interface SecretContext {
  readonly partnerId: string;
  readonly organizationId: string;
  readonly secretKey: string;
}

/**
 * Encrypts and decrypts secret values. In AWS a customer-managed KMS key does it (the key never
 * leaves KMS); in the local twin an AES-256-GCM key in the data folder.
 */
export interface SecretCipher {
  encrypt(plaintext: string, context: SecretContext): Promise<Uint8Array>;
  /** Throws SecretDecryptionError when the ciphertext does not belong to `context`. */
  decrypt(ciphertext: Uint8Array, context: SecretContext): Promise<string>;
}

/**
 * The context as the flat map both adapters bind: KMS as its EncryptionContext, the local
 * cipher as additional authenticated data. The names are the ones the IAM conditions check.
 */
export function encryptionContext(context: SecretContext): Record<string, string> {
  return {
    partner_id: context.partnerId,
    organization_id: context.organizationId,
    secret_key: context.secretKey,
  };
}

/**
 * A ciphertext that does not decrypt under the context it was read with: moved, tampered with
 * or encrypted by another key. It names the secret, never its value.
 */
export class SecretDecryptionError extends Error {
  constructor(
    readonly secretKey: string,
    cause?: unknown,
  ) {
    super(`The secret ${secretKey} cannot be decrypted for this organization`, { cause });
    this.name = 'SecretDecryptionError';
  }
}

/**
 * The encryption service failed or refused (throttling, an outage, a disabled key, missing
 * permissions). The caller may try again; the answer never carries the value or the cause.
 */
export function encryptionUnavailable(reason: string, cause?: unknown): AppError {
  return new AppError(
    'encryption_unavailable',
    'Secrets cannot be encrypted or decrypted right now; try again shortly',
    { reason, cause, retryAfterSeconds: SECRET_POLICY.retryAfterSeconds },
  );
}
