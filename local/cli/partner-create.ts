import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { registerPartner } from '../../lambdas/core/partners.js';
import { systemClock } from '../../lambdas/core/ports.js';
import { readOptions, readTextFile, UsageError } from './args.js';
import { openTarget } from './target.js';

export const partnerCreateUsage =
  'partner create --id ID --name NAME --public-key FILE.pem [--stack NAME]';

/** Onboards a partner: its profile, its JWT signing key, and its first API key (shown once). */
export async function partnerCreate(args: string[]): Promise<Record<string, unknown>> {
  const options = readOptions(args, {
    id: { type: 'string', required: true },
    name: { type: 'string', required: true },
    'public-key': { type: 'string', required: true },
    stack: { type: 'string' },
  });
  const publicKeyPem = readTextFile(options['public-key']!, 'the public key');
  if (publicKeyPem.includes('PRIVATE KEY')) {
    throw new UsageError(
      'That file holds a private key. Pass the public key (openssl rsa -in KEY -pubout); ' +
        'the private key never leaves your backend.',
    );
  }

  const target = await openTarget(options.stack);
  try {
    const partnerId = options.id!;
    const { keyId, createdAt } = await registerPartner(target.table, systemClock, {
      partnerId,
      name: options.name!,
      publicKeyPem,
    });
    const apiKey = await issueApiKey(target.table, systemClock, partnerId);

    return {
      partner_id: partnerId,
      name: options.name,
      key_id: keyId,
      api_key: apiKey.apiKey,
      api_key_prefix: apiKey.prefix,
      created_at: createdAt,
    };
  } finally {
    await target.release();
  }
}
