import { createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { API_KEY_POLICY } from '../config/api-key-policy.js';
import {
  CURRENT,
  KEY_VERSION,
  livePreviousKey,
  PREVIOUS,
  SLOT_FIELDS,
  storedKey,
  type StoredKey,
} from './api-key-record.js';
import { AppError, ConditionFailedError } from './errors.js';
import { randomToken, sameSecret } from './ids.js';
import { partnerKey } from './keys.js';
import type { Clock, Item, Table } from './ports.js';

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
  /** When the key this one replaced stops working; absent when it stopped at once. */
  readonly previousExpiresAt?: string;
}

/** What a partner may see about its keys: never a key or a hash. */
export interface ApiKeyInfo {
  readonly current?: Omit<StoredKey, 'hash' | 'slot'>;
  /** The key replaced with an overlap, while the overlap lasts. */
  readonly previous?: Omit<StoredKey, 'hash' | 'slot'>;
}

/**
 * The bcrypt input for a key. bcrypt reads at most 72 bytes and a key is longer, so the whole
 * key is first condensed with HMAC-SHA-256 into 43 characters; no entropy is truncated away.
 */
export function apiKeyDigest(apiKey: string): string {
  return createHmac('sha256', 'logicnodes-api-key-v1').update(apiKey).digest('base64url');
}

/** Makes a partner's first key `pk_<partner>_<random>` and stores only its bcrypt hash. */
export function issueApiKey(table: Table, clock: Clock, partnerId: string): Promise<IssuedApiKey> {
  return rotateApiKey(table, clock, partnerId, 0);
}

/**
 * Replaces the partner's key with a new one. The old key stops working at once, or after
 * `expirePreviousInSeconds` so the partner can roll its systems over without downtime; only one
 * previous key is kept, so a new generation ends any earlier overlap. The write is conditional
 * on the key version read, so of two concurrent generations exactly one wins and the other gets
 * a 409: there is never more than one current key.
 */
export async function rotateApiKey(
  table: Table,
  clock: Clock,
  partnerId: string,
  expirePreviousInSeconds: number,
  caller: { readonly currentKeyHash?: string } = {},
): Promise<IssuedApiKey> {
  const { maxOverlapSeconds } = API_KEY_POLICY;
  const overlap = expirePreviousInSeconds;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > maxOverlapSeconds) {
    throw new AppError(
      'validation_failed',
      `expire_previous_in_seconds must be a whole number from 0 to ${maxOverlapSeconds}`,
    );
  }
  const item = await table.get(partnerKey(partnerId));
  if (!item) throw new AppError('not_found', 'No such partner');
  requireCallerIsCurrent(item, caller.currentKeyHash);

  const apiKey = `pk_${partnerId}_${randomToken(SECRET_BYTES)}`;
  const prefix = apiKey.slice(0, `pk_${partnerId}_`.length + 6);
  const now = clock.now();
  const createdAt = new Date(now).toISOString();
  const hash = await bcrypt.hash(apiKeyDigest(apiKey), API_KEY_BCRYPT_COST);

  const outgoing = overlap > 0 ? storedKey(item, CURRENT) : undefined;
  const previousExpiresAt = outgoing && new Date(now + overlap * 1000).toISOString();
  const version = typeof item[KEY_VERSION] === 'number' ? item[KEY_VERSION] : undefined;

  const set: Record<string, unknown> = {
    [`${CURRENT}hash`]: hash,
    [`${CURRENT}prefix`]: prefix,
    [`${CURRENT}created_at`]: createdAt,
    [KEY_VERSION]: (version ?? 0) + 1,
    ...(outgoing && previousExpiresAt ? previousSlot(outgoing, previousExpiresAt) : {}),
  };
  const remove = [
    `${CURRENT}last_used_at`,
    ...[...SLOT_FIELDS, 'expires_at'].map((f) => PREVIOUS + f),
  ].filter((attribute) => set[attribute] === undefined);

  try {
    await table.update(partnerKey(partnerId), { set, remove, expect: { [KEY_VERSION]: version } });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    throw new AppError('conflict', 'Another key generation ran at the same time; try again', {
      reason: 'concurrent_key_generation',
    });
  }
  return { apiKey, prefix, createdAt, previousExpiresAt };
}

/**
 * A key on its way out (the previous key in its overlap, or one a cache still lets through)
 * must not be able to mint a successor and lock the partner out: only the current key may.
 * The version condition on the write keeps this true if a generation races the check.
 */
function requireCallerIsCurrent(item: Item, callerHash: string | undefined): void {
  if (callerHash === undefined) return;

  const current = storedKey(item, CURRENT);
  if (!current || !sameSecret(current.hash, callerHash)) {
    throw new AppError('forbidden', 'Only the current API key can generate a new one', {
      reason: 'not_current_key',
    });
  }
}

/** The partner's keys as the partner may see them: prefixes and times only. */
export async function describeApiKeys(
  table: Table,
  clock: Clock,
  partnerId: string,
): Promise<ApiKeyInfo> {
  const item = await table.get(partnerKey(partnerId));
  if (!item) throw new AppError('not_found', 'No such partner');

  const current = storedKey(item, CURRENT);
  const previous = livePreviousKey(item, clock.now());
  return { current: current && visible(current), previous: previous && visible(previous) };
}

function previousSlot(key: StoredKey, expiresAt: string): Record<string, unknown> {
  return {
    [`${PREVIOUS}hash`]: key.hash,
    [`${PREVIOUS}prefix`]: key.prefix,
    [`${PREVIOUS}created_at`]: key.createdAt,
    [`${PREVIOUS}last_used_at`]: key.lastUsedAt,
    [`${PREVIOUS}expires_at`]: expiresAt,
  };
}

function visible({
  hash: _hash,
  slot: _slot,
  ...rest
}: StoredKey): Omit<StoredKey, 'hash' | 'slot'> {
  return rest;
}
