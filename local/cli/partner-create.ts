import { issueApiKey } from '../../lambdas/core/api-keys.js';
import {
  DEFAULT_PARTNER_TIER,
  isPartnerTier,
  PARTNER_TIER_NAMES,
} from '../../lambdas/config/partner-tiers.js';
import { registerPartner } from '../../lambdas/core/partners.js';
import { systemClock } from '../../lambdas/core/ports.js';
import { assignTier } from '../../lambdas/core/usage-keys.js';
import { readOptions, readTextFile, UsageError } from './args.js';
import { openTarget, type Target } from './target.js';

export const partnerCreateUsage =
  'partner create --id ID --name NAME --public-key FILE.pem ' +
  `[--tier ${PARTNER_TIER_NAMES.join('|')}] [--stack NAME]`;

/**
 * Onboards a partner: its profile, its JWT signing key, its tier (with, on a deployed stack, its
 * API Gateway key on the tier's usage plan) and its first API key, shown once.
 */
export async function partnerCreate(
  args: string[],
  open: (stackName: string | undefined) => Promise<Target> = openTarget,
): Promise<Record<string, unknown>> {
  const options = readOptions(args, {
    id: { type: 'string', required: true },
    name: { type: 'string', required: true },
    'public-key': { type: 'string', required: true },
    tier: { type: 'string' },
    stack: { type: 'string' },
  });
  const tier = options.tier ?? DEFAULT_PARTNER_TIER;
  if (!isPartnerTier(tier)) {
    throw new UsageError(`--tier must be one of: ${PARTNER_TIER_NAMES.join(', ')}`);
  }
  const publicKeyPem = readTextFile(options['public-key']!, 'the public key');
  if (publicKeyPem.includes('PRIVATE KEY')) {
    throw new UsageError(
      'That file holds a private key. Pass the public key (openssl rsa -in KEY -pubout); ' +
        'the private key never leaves your backend.',
    );
  }

  const target = await open(options.stack);
  try {
    if (target.deployed && !target.usageKeys) {
      throw new UsageError(
        'A deployed partner needs a usage-plan key, or every partner route answers 403: ' +
          'onboard with --stack NAME so the CLI can create it.',
      );
    }
    const partnerId = options.id!;
    const { keyId, createdAt } = await registerPartner(target.table, systemClock, {
      partnerId,
      name: options.name!,
      publicKeyPem,
    });
    const usageKey = await assignTier(target.table, partnerId, tier, target.usageKeys);
    const apiKey = await issueApiKey(target.table, systemClock, partnerId);

    return {
      partner_id: partnerId,
      name: options.name,
      key_id: keyId,
      api_key: apiKey.apiKey,
      api_key_prefix: apiKey.prefix,
      tier,
      usage_plan_key_id: usageKey?.keyId ?? null,
      created_at: createdAt,
    };
  } finally {
    await target.release();
  }
}
