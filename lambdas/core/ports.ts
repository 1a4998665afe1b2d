/**
 * The interfaces the domain needs from the outside world. Adapters implement them for AWS and
 * for the local twin; the domain never imports an SDK.
 */

/** Attributes of one stored item. `pk` and `sk` are always present. */
export type Item = Record<string, unknown> & { pk: string; sk: string };

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export interface PutOptions {
  /** Fail with ConditionFailedError when an item with this key already exists. */
  readonly onlyIfAbsent?: boolean;
}

export interface UpdateOptions {
  /** Attributes to set. `undefined` values are ignored. */
  readonly set?: Record<string, unknown>;
  /** Attributes to set only where the item does not have them yet. */
  readonly setIfMissing?: Record<string, unknown>;
  readonly remove?: readonly string[];
  /**
   * Numbers to add atomically (a missing attribute counts as 0), so concurrent writers never
   * lose an increment: read the result from the item update returns.
   */
  readonly add?: Record<string, number>;
  /** Fail with ConditionFailedError unless every attribute currently equals the given value. */
  readonly expect?: Record<string, unknown>;
  /** Fail with ConditionFailedError when the item does not exist. */
  readonly onlyIfExists?: boolean;
}

export interface QueryOptions {
  readonly pk: string;
  readonly skPrefix?: string;
  readonly limit?: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
  readonly newestFirst?: boolean;
}

export interface Page<T> {
  readonly items: T[];
  /** Present when more items may follow. */
  readonly cursor?: string;
}

/** A key-value store with sorted partitions and single-item conditional writes. */
export interface Table {
  get(key: ItemKey): Promise<Item | undefined>;
  put(item: Item, options?: PutOptions): Promise<void>;
  /** Returns the item as it is after the update. */
  update(key: ItemKey, options: UpdateOptions): Promise<Item>;
  /** Deletes the item; `expect` works as in update. Deleting what is absent is not an error. */
  delete(key: ItemKey, options?: Pick<UpdateOptions, 'expect'>): Promise<void>;
  query(options: QueryOptions): Promise<Page<Item>>;
  /** Deletes many items, retrying whatever the store reports as unprocessed. */
  deleteMany(keys: readonly ItemKey[]): Promise<void>;
}

/** A symmetric key that signs the platform's own access tokens. */
export interface SessionSigningKey {
  readonly keyId: string;
  readonly secret: Uint8Array;
}

/** Where session signing keys come from: the current one signs, any known one verifies. */
export interface SessionKeyStore {
  current(): Promise<SessionSigningKey>;
  find(keyId: string): Promise<SessionSigningKey | undefined>;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
