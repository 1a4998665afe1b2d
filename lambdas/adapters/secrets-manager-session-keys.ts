import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SessionKeyStore, SessionSigningKey } from '../core/ports.js';

const REFRESH_AFTER_MS = 5 * 60 * 1000;
/** An unknown key id re-reads the secret at most this often, so forged tokens cost nothing. */
const MISS_REREAD_AFTER_MS = 30 * 1000;

/**
 * Session signing keys from one Secrets Manager secret. The current version signs; the current
 * and previous versions verify, so a rotation logs nobody out. Versions are cached per container
 * and re-read every few minutes to pick up a rotation.
 */
export class SecretsManagerSessionKeys implements SessionKeyStore {
  private cache?: { loadedAt: number; current: SessionSigningKey; all: SessionSigningKey[] };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async current(): Promise<SessionSigningKey> {
    return (await this.load()).current;
  }

  async find(keyId: string): Promise<SessionSigningKey | undefined> {
    const known = (await this.load()).all.find((key) => key.keyId === keyId);
    if (known || !this.cache || Date.now() - this.cache.loadedAt < MISS_REREAD_AFTER_MS) {
      return known;
    }

    // Perhaps a token signed by a version newer than this container has seen: re-read.
    this.cache = undefined;
    return (await this.load()).all.find((key) => key.keyId === keyId);
  }

  private async load() {
    if (this.cache && Date.now() - this.cache.loadedAt < REFRESH_AFTER_MS) return this.cache;

    const [current, previous] = await Promise.all([
      this.version('AWSCURRENT'),
      this.version('AWSPREVIOUS'),
    ]);
    if (!current) throw new Error('The session signing secret has no current version');

    this.cache = {
      loadedAt: Date.now(),
      current,
      all: previous ? [current, previous] : [current],
    };
    return this.cache;
  }

  private async version(stage: string): Promise<SessionSigningKey | undefined> {
    try {
      const result = await this.client.send(
        new GetSecretValueCommand({ SecretId: this.secretId, VersionStage: stage }),
      );
      if (!result.SecretString || !result.VersionId) return undefined;
      return { keyId: result.VersionId, secret: new TextEncoder().encode(result.SecretString) };
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}
