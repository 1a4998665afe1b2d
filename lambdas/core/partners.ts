import { createPublicKey } from 'node:crypto';
import { AppError, ConditionFailedError } from './errors.js';
import { PARTNER_ID, randomToken } from './ids.js';
import { partnerKey, signingKeyKey } from './keys.js';
import { EMBED_TOKEN_POLICY } from '../config/session-policy.js';
import type { Clock, Table } from './ports.js';

export interface NewPartner {
  readonly partnerId: string;
  readonly name: string;
  readonly publicKeyPem: string;
}

export interface PartnerSigningKey {
  readonly keyId: string;
  readonly partnerId: string;
  readonly publicKeyPem: string;
}

/**
 * Registers a partner and the RSA public key its backend signs embed tokens with. Returns the
 * key id that partners put in the `kid` header of their tokens.
 */
export async function registerPartner(
  table: Table,
  clock: Clock,
  partner: NewPartner,
): Promise<{ keyId: string; createdAt: string }> {
  if (!PARTNER_ID.test(partner.partnerId)) {
    throw new AppError(
      'validation_failed',
      'Partner id must be 1-40 lowercase letters, digits or inner hyphens',
    );
  }
  if (partner.name.trim().length === 0 || partner.name.length > 200) {
    throw new AppError('validation_failed', 'Partner name must be 1-200 characters');
  }
  const publicKeyPem = normalizeRsaPublicKey(partner.publicKeyPem);

  const createdAt = new Date(clock.now()).toISOString();
  const keyId = `${partner.partnerId}-${randomToken(9)}`;

  try {
    await table.put(
      {
        ...partnerKey(partner.partnerId),
        partner_id: partner.partnerId,
        name: partner.name.trim(),
        signing_key_ids: [keyId],
        created_at: createdAt,
      },
      { onlyIfAbsent: true },
    );
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      throw new AppError('partner_exists', 'A partner with this id already exists');
    }
    throw error;
  }

  await table.put({
    ...signingKeyKey(keyId),
    key_id: keyId,
    partner_id: partner.partnerId,
    public_key_pem: publicKeyPem,
    created_at: createdAt,
  });
  return { keyId, createdAt };
}

/** The signing key a token names by `kid`, or undefined when no partner registered it. */
export async function findSigningKey(
  table: Table,
  keyId: string,
): Promise<PartnerSigningKey | undefined> {
  const item = await table.get(signingKeyKey(keyId));
  if (!item) return undefined;
  return {
    keyId,
    partnerId: item.partner_id as string,
    publicKeyPem: item.public_key_pem as string,
  };
}

/** Every signing key of a partner, for tokens that name the partner by `iss` instead of `kid`. */
export async function findPartnerSigningKeys(
  table: Table,
  partnerId: string,
): Promise<PartnerSigningKey[]> {
  if (!PARTNER_ID.test(partnerId)) return [];

  const partner = await table.get(partnerKey(partnerId));
  const keyIds = (partner?.signing_key_ids as string[] | undefined) ?? [];
  const keys = await Promise.all(keyIds.map((keyId) => findSigningKey(table, keyId)));
  return keys.filter((key): key is PartnerSigningKey => key?.partnerId === partnerId);
}

export async function partnerExists(table: Table, partnerId: string): Promise<boolean> {
  return PARTNER_ID.test(partnerId) && (await table.get(partnerKey(partnerId))) !== undefined;
}

function normalizeRsaPublicKey(pem: string): string {
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AppError('validation_failed', 'The public key is not a PEM-encoded public key');
  }

  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < EMBED_TOKEN_POLICY.minRsaModulusBits) {
    throw new AppError(
      'validation_failed',
      `The public key must be RSA with at least ${EMBED_TOKEN_POLICY.minRsaModulusBits} bits`,
    );
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
