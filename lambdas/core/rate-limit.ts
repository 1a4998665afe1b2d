import type { RateLimits } from '../config/rate-limits.js';
import { AppError } from './errors.js';
import { encodeKeyPart } from './keys.js';
import type { Clock, Table } from './ports.js';

/** One limited action for one subject, such as embed logins from one client address. */
export interface RateLimitedAttempt {
  /** Names the action; becomes part of the counter's key. */
  readonly action: string;
  /** Who is limited, such as a client IP. Encoded, so it cannot reach another key. */
  readonly subject: string;
  /** Attempts allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/** Counters outlive their window by this much, so a late attempt still finds its window. */
const COUNTER_GRACE_SECONDS = 60;

/**
 * Counts an attempt and refuses it once the subject has used up its window. The counter lives
 * in the table and is raised with an atomic add, so every container (and every Lambda function
 * instance) shares it; a TTL removes old windows. Windows are fixed, aligned to the epoch.
 */
export async function countAttempt(
  table: Table,
  clock: Clock,
  attempt: RateLimitedAttempt,
): Promise<void> {
  const now = Math.floor(clock.now() / 1000);
  const windowStart = now - (now % attempt.windowSeconds);
  const windowEnd = windowStart + attempt.windowSeconds;

  const counter = await table.update(
    { pk: `RATE#${attempt.action}#${encodeKeyPart(attempt.subject)}`, sk: String(windowStart) },
    { add: { attempts: 1 }, set: { ttl: windowEnd + COUNTER_GRACE_SECONDS } },
  );

  if ((counter.attempts as number) > attempt.limit) {
    throw new AppError('rate_limited', 'Too many attempts; slow down', {
      reason: 'rate_limited',
      retryAfterSeconds: Math.max(1, windowEnd - now),
    });
  }
}

/** The spec's per-IP limit on embed login (section 1.4), shared across every container. */
export function countEmbedLogin(
  deps: { readonly table: Table; readonly clock: Clock; readonly rateLimits: RateLimits },
  sourceIp: string,
): Promise<void> {
  return countAttempt(deps.table, deps.clock, {
    action: 'embed-auth',
    subject: sourceIp,
    limit: deps.rateLimits.embedAuthPerMinute,
    windowSeconds: 60,
  });
}
