import bcrypt from 'bcryptjs';
import { apiKeyDigest, API_KEY_BCRYPT_COST } from './api-keys.js';
import { AppError } from './errors.js';
import { partnerKey } from './keys.js';
import type { Table } from './ports.js';

/** A partner's backend, as established from its API key. */
export interface PartnerPrincipal {
  readonly partnerId: string;
  /** The displayable start of the key that was used, for audit and monitoring. */
  readonly keyPrefix: string;
}

const API_KEY_FORMAT = /^pk_([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)_([A-Za-z0-9_-]{43})$/;

/** Compared against when no partner matches, so unknown partners cost the same as bad keys. */
const DECOY_HASH = bcrypt.hashSync('decoy', API_KEY_BCRYPT_COST);

/**
 * Establishes which partner an API key belongs to. Whatever is wrong with a key (its shape, its
 * partner, its secret), the answer is the same 401, so keys cannot be probed piece by piece.
 */
export async function authenticateApiKey(
  table: Table,
  presented: string,
): Promise<PartnerPrincipal> {
  const partnerId = API_KEY_FORMAT.exec(presented)?.[1];
  const item = partnerId ? await table.get(partnerKey(partnerId)) : undefined;
  const hash = typeof item?.api_key_hash === 'string' ? item.api_key_hash : DECOY_HASH;

  const matches = await bcrypt.compare(apiKeyDigest(presented), hash);
  if (!partnerId || !item || !matches) throw invalidApiKey();

  return { partnerId, keyPrefix: item.api_key_prefix as string };
}

export function invalidApiKey(): AppError {
  return new AppError('invalid_api_key', 'The API key is not valid');
}
