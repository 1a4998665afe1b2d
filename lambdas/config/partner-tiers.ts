/**
 * The usage tiers a partner can be on. The stack turns each into an API Gateway usage plan and
 * the local twin enforces the same rate and burst, so the numbers live here and nowhere else.
 */
export interface PartnerTierLimits {
  /** Steady requests per second, per partner. */
  readonly rateLimitPerSecond: number;
  /** Requests a partner may send at once above the steady rate (the token bucket's size). */
  readonly burstLimit: number;
  /** Requests per calendar month (UTC). */
  readonly monthlyQuota: number;
}

export const PARTNER_TIERS = {
  standard: { rateLimitPerSecond: 10, burstLimit: 20, monthlyQuota: 250_000 },
  premium: { rateLimitPerSecond: 50, burstLimit: 100, monthlyQuota: 5_000_000 },
} as const satisfies Record<string, PartnerTierLimits>;

export type PartnerTier = keyof typeof PARTNER_TIERS;

export const PARTNER_TIER_NAMES = Object.keys(PARTNER_TIERS) as PartnerTier[];

/** The tier a partner gets when onboarding names none. */
export const DEFAULT_PARTNER_TIER: PartnerTier = 'standard';

export function isPartnerTier(value: unknown): value is PartnerTier {
  return typeof value === 'string' && Object.hasOwn(PARTNER_TIERS, value);
}

/** A partner's tier as stored; an item from before tiers existed is on the default tier. */
export function tierOf(stored: unknown): PartnerTier {
  return isPartnerTier(stored) ? stored : DEFAULT_PARTNER_TIER;
}
