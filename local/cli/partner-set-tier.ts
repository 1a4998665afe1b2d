import { isPartnerTier, PARTNER_TIER_NAMES } from '../../lambdas/config/partner-tiers.js';
import { changeTier } from '../../lambdas/core/usage-keys.js';
import { readOptions, UsageError } from './args.js';
import { openTarget, type Target } from './target.js';

export const partnerSetTierUsage =
  `partner set-tier --id ID --tier ${PARTNER_TIER_NAMES.join('|')} ` + '[--stack NAME]';

/**
 * Moves a partner to another tier. With `--stack`, its API Gateway key changes usage plans, or
 * is created when the partner has none yet (onboarded locally or before tiers existed).
 */
export async function partnerSetTier(
  args: string[],
  open: (stackName: string | undefined) => Promise<Target> = openTarget,
): Promise<Record<string, unknown>> {
  const options = readOptions(args, {
    id: { type: 'string', required: true },
    tier: { type: 'string', required: true },
    stack: { type: 'string' },
  });
  const tier = options.tier;
  if (!isPartnerTier(tier)) {
    throw new UsageError(`--tier must be one of: ${PARTNER_TIER_NAMES.join(', ')}`);
  }

  const target = await open(options.stack);
  try {
    const keyId = await changeTier(target.table, options.id!, tier, target.usageKeys);
    return { partner_id: options.id, tier, usage_plan_key_id: keyId ?? null };
  } finally {
    await target.release();
  }
}
