import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  encryptionContext,
  encryptionUnavailable,
  SecretDecryptionError,
  type SecretCipher,
  type SecretContext,
} from '../core/secret-cipher.js';

/** KMS answers that mean "this ciphertext does not belong here", not "KMS is unwell". */
const NOT_THIS_CIPHERTEXT = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/** The part of the KMS client the cipher uses, so tests can fake it at this boundary. */
export type KmsSender = Pick<KMSClient, 'send'>;

/**
 * Secret values encrypted directly by the platform's customer-managed secrets key (values are
 * at most 4 KB, which KMS Encrypt takes whole), bound to their owner by the encryption context.
 * Every KMS failure becomes a 503 with Retry-After that names nothing internal.
 */
export class KmsSecretCipher implements SecretCipher {
  constructor(
    private readonly kms: KmsSender,
    private readonly keyArn: string,
  ) {}

  async encrypt(plaintext: string, context: SecretContext): Promise<Uint8Array> {
    let result;
    try {
      result = await this.kms.send(
        new EncryptCommand({
          KeyId: this.keyArn,
          Plaintext: new TextEncoder().encode(plaintext),
          EncryptionContext: encryptionContext(context),
        }),
      );
    } catch (error) {
      throw encryptionUnavailable(`kms_encrypt_${errorName(error)}`, error);
    }

    if (!result.CiphertextBlob) throw encryptionUnavailable('kms_encrypt_empty');
    return result.CiphertextBlob;
  }

  async decrypt(ciphertext: Uint8Array, context: SecretContext): Promise<string> {
    let result;
    try {
      // Naming the key makes KMS refuse a ciphertext made under any other key.
      result = await this.kms.send(
        new DecryptCommand({
          KeyId: this.keyArn,
          CiphertextBlob: ciphertext,
          EncryptionContext: encryptionContext(context),
        }),
      );
    } catch (error) {
      if (NOT_THIS_CIPHERTEXT.has(errorName(error))) {
        throw new SecretDecryptionError(context.secretKey, error);
      }
      throw encryptionUnavailable(`kms_decrypt_${errorName(error)}`, error);
    }

    if (!result.Plaintext) throw encryptionUnavailable('kms_decrypt_empty');
    return new TextDecoder().decode(result.Plaintext);
  }
}

function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? 'unknown';
}
