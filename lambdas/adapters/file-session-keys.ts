import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SessionKeyStore, SessionSigningKey } from '../core/ports.js';

/**
 * The local twin's session signing key: one random key in a file readable only by its owner,
 * created on first use, so sessions survive a restart of the twin.
 */
export class FileSessionKeys implements SessionKeyStore {
  private key?: SessionSigningKey;

  constructor(private readonly path: string) {}

  async current(): Promise<SessionSigningKey> {
    this.key ??= this.loadOrCreate();
    return this.key;
  }

  async find(keyId: string): Promise<SessionSigningKey | undefined> {
    const key = await this.current();
    return key.keyId === keyId ? key : undefined;
  }

  private loadOrCreate(): SessionSigningKey {
    const stored = this.read();
    if (stored) return stored;

    const key = { keyId: randomUUID(), secret: randomBytes(32) };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(
        this.path,
        JSON.stringify({ key_id: key.keyId, secret: key.secret.toString('base64') }),
        { mode: 0o600, flag: 'wx' },
      );
      return key;
    } catch (error) {
      // Another process (the CLI beside the server) created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return this.read()!;
    }
  }

  private read(): SessionSigningKey | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
      return { keyId: stored.key_id!, secret: Buffer.from(stored.secret!, 'base64') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
