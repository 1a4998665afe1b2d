import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditSigner } from '../core/audit.js';
import { sha256 } from '../core/ids.js';

/**
 * The local twin's audit seal signer: an ECDSA P-256 key in a file readable only by its owner,
 * created on first use, so the twin's seals verify the same way as KMS-signed ones.
 */
export class FileAuditSigner implements AuditSigner {
  private key?: KeyObject;

  constructor(private readonly path: string) {}

  async keyId(): Promise<string> {
    return `local:${sha256(await this.publicKeyPem()).slice(0, 16)}`;
  }

  async sign(message: string): Promise<string> {
    return sign('sha256', Buffer.from(message, 'utf8'), this.privateKey()).toString('base64');
  }

  async publicKeyPem(): Promise<string> {
    return createPublicKey(this.privateKey()).export({ type: 'spki', format: 'pem' }).toString();
  }

  private privateKey(): KeyObject {
    this.key ??= this.loadOrCreate();
    return this.key;
  }

  private loadOrCreate(): KeyObject {
    try {
      return createPrivateKey(readFileSync(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    try {
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      writeFileSync(this.path, pem, { mode: 0o600, flag: 'wx' });
      return privateKey;
    } catch (error) {
      // Another process (the CLI beside the twin) created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return createPrivateKey(readFileSync(this.path, 'utf8'));
    }
  }
}
