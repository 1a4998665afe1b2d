import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  encryptionContext,
  SecretDecryptionError,
  type SecretCipher,
  type SecretContext,
} from '../core/secret-cipher.js';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every ciphertext, so the format can change without guessing. */
const FORMAT_V1 = 1;

/**
 * The local twin's secret cipher: AES-256-GCM under one random 32-byte key kept in a file of the
 * data folder (mode 0600, created on first use), with the encryption context bound as additional
 * authenticated data, the way KMS binds it. Ciphertext layout: version, IV, tag, data.
 */
export class FileKeySecretCipher implements SecretCipher {
  private key?: Buffer;

  constructor(private readonly path: string) {}

  async encrypt(plaintext: string, context: SecretContext): Promise<Uint8Array> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.loadOrCreateKey(), iv);
    cipher.setAAD(additionalData(context));

    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), data]);
  }

  async decrypt(ciphertext: Uint8Array, context: SecretContext): Promise<string> {
    const bytes = Buffer.from(ciphertext);
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) {
      throw new SecretDecryptionError(context.secretKey);
    }

    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv(ALGORITHM, this.loadOrCreateKey(), iv);
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(tag);
    try {
      const data = bytes.subarray(1 + IV_BYTES + TAG_BYTES);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new SecretDecryptionError(context.secretKey, error);
    }
  }

  /** Makes sure the key file exists, so the twin creates it when it starts, not on first use. */
  prepare(): void {
    this.loadOrCreateKey();
  }

  /**
   * Reads the key, or makes one. The new key is written whole to a private temporary file and
   * then linked into place, which fails if the file exists: when two processes (the twin and
   * the CLI) race, both end up with the one key that won, never with a half-written file.
   */
  private loadOrCreateKey(): Buffer {
    this.key ??= this.read() ?? this.create();
    return this.key;
  }

  private create(): Buffer {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}`;
    writeFileSync(temporary, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    return this.read()!;
  }

  private read(): Buffer | undefined {
    let key: Buffer;
    try {
      key = readFileSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (key.length !== KEY_BYTES) throw new Error('The local secrets key file is damaged');
    return key;
  }
}

/** The context in a fixed field order, so encryption and decryption bind identical bytes. */
function additionalData(context: SecretContext): Buffer {
  const fields = encryptionContext(context);
  return Buffer.from(
    JSON.stringify([fields.partner_id, fields.organization_id, fields.secret_key]),
    'utf8',
  );
}
