import { SPEC_RATE_LIMITS, type RateLimits } from '../lambdas/config/rate-limits.js';

/** The one override of the twin's limits, for suites that log in many times from one address. */
export const AUTH_RATE_LIMIT_VARIABLE = 'LOGICNODES_AUTH_RATE_LIMIT';

/**
 * The twin's limits: the spec's, unless `LOGICNODES_AUTH_RATE_LIMIT` gives embed-auth requests
 * per minute per IP. A value that is not a positive integer stops the twin at start, rather
 * than silently running with a limit nobody asked for. Lambda never reads this variable.
 */
export function localRateLimits(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const raw = env[AUTH_RATE_LIMIT_VARIABLE];
  if (raw === undefined || raw === '') return SPEC_RATE_LIMITS;

  const perMinute = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(perMinute) || perMinute < 1) {
    throw new Error(`${AUTH_RATE_LIMIT_VARIABLE} must be a positive integer, got "${raw}"`);
  }
  return { ...SPEC_RATE_LIMITS, embedAuthPerMinute: perMinute };
}
