import { createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { randomToken } from './ids.js';
import { partnerKey } from './keys.js';
import type { Clock, Table } from './ports.js';

/** bcrypt work factor for stored partner API key hashes. */
export const API_KEY_BCRYPT_COST = 10;

/** 32 random bytes: 256 bits of entropy, comfortably above the 192-bit floor. */
const SECRET_BYTES = 32;

export interface IssuedApiKey {
  /** The full key. Shown to the partner once and never stored. */
  readonly apiKey: string;
  /** The part of the key that may be displayed and logged to identify it. */
  readonly prefix: string;
  readonly createdAt: string;
}

/**
 * The bcrypt input for a key. bcrypt reads at most 72 bytes and a key is longer, so the whole
 * key is first condensed with HMAC-SHA-256 into 43 characters; no entropy is truncated away.
 */
export function apiKeyDigest(apiKey: string): string {
  return createHmac('sha256', 'logicnodes-api-key-v1').update(apiKey).digest('base64url');
}

/** Makes a new key `pk_<partner>_<random>` and stores only its bcrypt hash. */
export async function issueApiKey(
  table: Table,
  clock: Clock,
  partnerId: string,
): Promise<IssuedApiKey> {
  const apiKey = `pk_${partnerId}_${randomToken(SECRET_BYTES)}`;
  const prefix = apiKey.slice(0, `pk_${partnerId}_`.length + 6);
  const createdAt = new Date(clock.now()).toISOString();

  const hash = await bcrypt.hash(apiKeyDigest(apiKey), API_KEY_BCRYPT_COST);
  await table.update(partnerKey(partnerId), {
    set: { api_key_hash: hash, api_key_prefix: prefix, api_key_created_at: createdAt },
    onlyIfExists: true,
  });
  return { apiKey, prefix, createdAt };
}
