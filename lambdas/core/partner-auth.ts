import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { API_KEY_POLICY } from '../config/api-key-policy.js';
import { tierOf, type PartnerTier } from '../config/partner-tiers.js';
import { liveKeys, recordKeyUse, type StoredKey } from './api-key-record.js';
import { apiKeyDigest, API_KEY_BCRYPT_COST } from './api-keys.js';
import { AppError } from './errors.js';
import { sameSecret } from './ids.js';
import { partnerKey } from './keys.js';
import { systemClock, type Clock, type Table } from './ports.js';

/** A partner's backend, as established from its API key. */
export interface PartnerPrincipal {
  readonly partnerId: string;
  /** The displayable start of the key that was used, for audit and monitoring. */
  readonly keyPrefix: string;
}

/** What the authorizer learns from a good key: who, on which tier, metered under which key. */
export interface VerifiedPartnerKey extends PartnerPrincipal {
  readonly tier: PartnerTier;
  /** The partner's API Gateway usage-plan key value; absent for partners of the local twin. */
  readonly usageKey?: string;
  /** The stored hash the key matched, so a caller can require it to still be current. */
  readonly keyHash: string;
}

const API_KEY_FORMAT = /^pk_([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)_([A-Za-z0-9_-]{43})$/;

/** Compared against when no partner matches, so unknown partners cost the same as bad keys. */
const DECOY_HASH = bcrypt.hashSync('decoy', API_KEY_BCRYPT_COST);

/** The current key and, during an overlap, the previous one. */
const MAX_LIVE_KEYS = 2;

type Compare = (digest: string, hash: string) => Promise<boolean>;

/**
 * Verifies partner API keys, paying for bcrypt once per key per container. After a key passes
 * bcrypt, the container remembers which stored hash it matched. Every request still reads the
 * partner item, and the remembered hash only counts while it is still one of the partner's live
 * hashes; so a rotated-out or revoked key fails on the very next request, warm or not.
 */
export class ApiKeyVerifier {
  /** Fingerprint of a presented key → the stored bcrypt hash it was proven to match. */
  private readonly verified = new Map<string, string>();

  constructor(
    private readonly compare: Compare = (digest, hash) => bcrypt.compare(digest, hash),
    private readonly capacity: number = API_KEY_POLICY.verifiedKeyCacheSize,
  ) {}

  /**
   * Establishes which partner a key belongs to. Whatever is wrong with a key (its shape, its
   * partner, its secret, its age), the answer is the same 401, so keys cannot be probed.
   */
  async verify(table: Table, clock: Clock, presented: string): Promise<VerifiedPartnerKey> {
    const partnerId = API_KEY_FORMAT.exec(presented)?.[1];
    const item = partnerId ? await table.get(partnerKey(partnerId)) : undefined;
    const candidates = item ? liveKeys(item, clock.now()) : [];

    const fingerprint = createHash('sha256').update(presented).digest('base64url');
    const remembered = this.verified.get(fingerprint);
    const match =
      (remembered && candidates.find((key) => sameSecret(key.hash, remembered))) ||
      (await this.compareEach(apiKeyDigest(presented), candidates));

    if (!partnerId || !item || !match) {
      this.verified.delete(fingerprint);
      throw invalidApiKey();
    }
    this.remember(fingerprint, match.hash);

    await recordKeyUse(table, clock, partnerId, match);
    return {
      partnerId,
      keyPrefix: match.prefix,
      tier: tierOf(item.usage_tier),
      usageKey: typeof item.usage_key_value === 'string' ? item.usage_key_value : undefined,
      keyHash: match.hash,
    };
  }

  /**
   * Compares against every live hash, padded with decoys to the most a partner can have, so
   * the time taken tells nothing about whether a partner exists or is mid-rotation.
   */
  private async compareEach(digest: string, candidates: StoredKey[]) {
    let match: StoredKey | undefined;
    for (let i = 0; i < MAX_LIVE_KEYS; i += 1) {
      const candidate = candidates[i];
      const matched = await this.compare(digest, candidate?.hash ?? DECOY_HASH);
      if (matched && candidate && !match) match = candidate;
    }
    return match;
  }

  /** Keeps the most recently verified keys; the oldest entry goes first when full. */
  private remember(fingerprint: string, hash: string): void {
    this.verified.delete(fingerprint);
    this.verified.set(fingerprint, hash);
    if (this.verified.size > this.capacity) {
      this.verified.delete(this.verified.keys().next().value!);
    }
  }
}

/** The container's verifier: its memory of verified keys lives as long as the container. */
const containerVerifier = new ApiKeyVerifier();

/** Verifies a key with this container's verifier; see ApiKeyVerifier.verify. */
export function authenticateApiKey(
  table: Table,
  presented: string,
  clock: Clock = systemClock,
): Promise<VerifiedPartnerKey> {
  return containerVerifier.verify(table, clock, presented);
}

export function invalidApiKey(): AppError {
  return new AppError('invalid_api_key', 'The API key is not valid');
}
