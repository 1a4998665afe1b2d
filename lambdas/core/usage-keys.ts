import { tierOf, type PartnerTier } from '../config/partner-tiers.js';
import { AppError } from './errors.js';
import { partnerKey } from './keys.js';
import type { Table } from './ports.js';

/** A partner's key on its tier's usage plan: what the authorizer returns to API Gateway. */
export interface UsageKey {
  readonly keyId: string;
  readonly value: string;
}

/**
 * Where partners' usage-plan keys are made: API Gateway in a deployed stack. The local twin has
 * none; it throttles by the tier recorded on the partner.
 */
export interface UsageKeyIssuer {
  /** Creates a usage key for the partner and attaches it to the plan of its tier. */
  create(partnerId: string, tier: PartnerTier): Promise<UsageKey>;
  /** Moves an existing usage key from one tier's plan to another's. */
  move(keyId: string, from: PartnerTier, to: PartnerTier): Promise<void>;
}

/**
 * Puts a partner on a tier: records the tier and, when the stack's usage plans are reachable,
 * creates the partner's usage key on that tier's plan and records it for the authorizer.
 */
export async function assignTier(
  table: Table,
  partnerId: string,
  tier: PartnerTier,
  issuer?: UsageKeyIssuer,
): Promise<UsageKey | undefined> {
  const usageKey = issuer ? await issuer.create(partnerId, tier) : undefined;

  await table.update(partnerKey(partnerId), {
    set: { usage_tier: tier, usage_key_id: usageKey?.keyId, usage_key_value: usageKey?.value },
    onlyIfExists: true,
  });
  return usageKey;
}

/**
 * Moves an onboarded partner to a tier. On a deployed stack a partner that already has a usage
 * key keeps it and the key changes plans; one without a key (onboarded locally, or before
 * tiers existed) gets one now. Returns the id of the partner's usage key, if it has one.
 */
export async function changeTier(
  table: Table,
  partnerId: string,
  tier: PartnerTier,
  issuer?: UsageKeyIssuer,
): Promise<string | undefined> {
  const item = await table.get(partnerKey(partnerId));
  if (!item) throw new AppError('not_found', 'No such partner');

  const keyId = typeof item.usage_key_id === 'string' ? item.usage_key_id : undefined;
  if (issuer && !keyId) return (await assignTier(table, partnerId, tier, issuer))?.keyId;

  const from = tierOf(item.usage_tier);
  if (issuer && keyId && from !== tier) await issuer.move(keyId, from, tier);
  await table.update(partnerKey(partnerId), { set: { usage_tier: tier }, onlyIfExists: true });
  return keyId;
}
