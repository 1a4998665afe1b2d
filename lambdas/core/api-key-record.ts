import { ConditionFailedError } from './errors.js';
import { partnerKey } from './keys.js';
import type { Clock, Item, Table } from './ports.js';

/**
 * How a partner's API keys are kept on its profile item: the current key, and at most one
 * previous key that still works until its overlap ends. Only bcrypt hashes are stored.
 */
export type KeySlot = 'api_key_' | 'previous_api_key_';

export const CURRENT: KeySlot = 'api_key_';
export const PREVIOUS: KeySlot = 'previous_api_key_';

/** Bumped by every generation; generation writes only if it is unchanged since the read. */
export const KEY_VERSION = 'api_key_version';

export const SLOT_FIELDS = ['hash', 'prefix', 'created_at', 'last_used_at'] as const;

/** One stored key, as read from the partner item. */
export interface StoredKey {
  readonly slot: KeySlot;
  readonly hash: string;
  readonly prefix: string;
  readonly createdAt: string;
  /** The start of the last minute (UTC) the key was seen in use. */
  readonly lastUsedAt?: string;
  /** Only for a previous key: when it stops working. */
  readonly expiresAt?: string;
}

export function storedKey(item: Item, slot: KeySlot): StoredKey | undefined {
  const hash = item[`${slot}hash`];
  if (typeof hash !== 'string') return undefined;

  return {
    slot,
    hash,
    prefix: String(item[`${slot}prefix`] ?? ''),
    createdAt: String(item[`${slot}created_at`] ?? ''),
    lastUsedAt: optionalString(item[`${slot}last_used_at`]),
    expiresAt: optionalString(item[`${slot}expires_at`]),
  };
}

/** The previous key while its overlap lasts; once the overlap ends it is as good as gone. */
export function livePreviousKey(item: Item, nowMs: number): StoredKey | undefined {
  const previous = storedKey(item, PREVIOUS);
  const expiresAt = previous?.expiresAt;
  return expiresAt !== undefined && Date.parse(expiresAt) > nowMs ? previous : undefined;
}

/** The keys that open the door right now: the current one, and the previous one in overlap. */
export function liveKeys(item: Item, nowMs: number): StoredKey[] {
  return [storedKey(item, CURRENT), livePreviousKey(item, nowMs)].filter((k) => k !== undefined);
}

/**
 * Records that a key was used, to the minute. It writes only when the stored minute is older
 * than this one, and only if the key and the stored minute are as read, so however many
 * containers see the key in one minute, one write lands and the rest cost nothing or fail
 * their condition harmlessly.
 */
export async function recordKeyUse(
  table: Table,
  clock: Clock,
  partnerId: string,
  key: StoredKey,
): Promise<void> {
  const minute = new Date(Math.floor(clock.now() / 60_000) * 60_000).toISOString();
  if (key.lastUsedAt !== undefined && key.lastUsedAt >= minute) return;

  try {
    await table.update(partnerKey(partnerId), {
      set: { [`${key.slot}last_used_at`]: minute },
      expect: { [`${key.slot}hash`]: key.hash, [`${key.slot}last_used_at`]: key.lastUsedAt },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
