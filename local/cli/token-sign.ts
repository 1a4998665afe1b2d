import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ROLES } from '../../lambdas/core/embed-token.js';
import { readOptions, readTextFile, UsageError } from './args.js';

export const tokenSignUsage =
  'token sign --key PRIVATE.pem --kid KID --user-id U --org-id O --email E --name N ' +
  '[--org-name X] [--role admin|member|viewer] [--ttl SECONDS] [--single-use]';

/**
 * Signs an embed token the way a partner's backend would: RS256 with the partner's private key,
 * naming the registered public key by `kid`. For trying the API before writing signing code.
 */
export async function tokenSign(args: string[]): Promise<string> {
  const options = readOptions(args, {
    key: { type: 'string', required: true },
    kid: { type: 'string', required: true },
    'user-id': { type: 'string', required: true },
    'org-id': { type: 'string', required: true },
    email: { type: 'string', required: true },
    name: { type: 'string', required: true },
    'org-name': { type: 'string' },
    role: { type: 'string' },
    ttl: { type: 'string' },
    'single-use': { type: 'boolean' },
  });

  const ttl = Number(options.ttl ?? 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError('--ttl must be a positive integer');
  if (options.role !== undefined && !(ROLES as readonly string[]).includes(options.role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  }

  let privateKey;
  try {
    privateKey = createPrivateKey(readTextFile(options.key!, 'the private key'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError('The private key is not a PEM-encoded RSA private key');
  }

  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT({
    user_id: options['user-id'],
    org_id: options['org-id'],
    email: options.email,
    name: options.name,
    ...(options['org-name'] ? { org_name: options['org-name'] } : {}),
    ...(options.role ? { role: options.role } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid!, typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + ttl);
  if (options['single-use']) token.setJti(randomUUID());
  return token.sign(privateKey);
}
