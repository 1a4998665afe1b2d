import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { AuditSigner } from '../core/audit.js';

/** The slice of the KMS client the signer uses, so tests can stand in for KMS at this seam. */
export type KmsSend = Pick<KMSClient, 'send'>;

/**
 * Signs audit seals with a KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY). The private key
 * never leaves KMS; the public key is fetched once per container for the digests route.
 */
export class KmsAuditSigner implements AuditSigner {
  private publicKey?: Promise<string>;

  constructor(
    private readonly keyArn: string,
    private readonly kms: KmsSend = new KMSClient({}),
  ) {}

  async keyId(): Promise<string> {
    return this.keyArn;
  }

  async sign(message: string): Promise<string> {
    const result = await this.kms.send(
      new SignCommand({
        KeyId: this.keyArn,
        Message: Buffer.from(message, 'utf8'),
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!result.Signature) throw new Error('KMS returned no signature');
    return Buffer.from(result.Signature).toString('base64');
  }

  publicKeyPem(): Promise<string> {
    this.publicKey ??= this.kms
      .send(new GetPublicKeyCommand({ KeyId: this.keyArn }))
      .then((result) => {
        if (!result.PublicKey) throw new Error('KMS returned no public key');
        const der = Buffer.from(result.PublicKey);
        return createPublicKey({ key: der, format: 'der', type: 'spki' })
          .export({ type: 'spki', format: 'pem' })
          .toString();
      });
    return this.publicKey;
  }
}
