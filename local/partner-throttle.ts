import { AppError } from '../lambdas/core/errors.js';
import { PARTNER_TIERS, tierOf } from '../lambdas/config/partner-tiers.js';
import type { Clock } from '../lambdas/core/ports.js';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Plays the usage plans' throttle for the twin: a token bucket per partner, as big as its tier's
 * burst and refilled at its tier's rate, from the same configuration the stack's usage plans
 * are built from. Over the limit it answers what API Gateway answers: 429 with Retry-After.
 * Monthly quotas are metered by API Gateway only; the twin does not count them.
 */
export class PartnerThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes one request from the partner's bucket, or throws `rate_limited`. */
  take(partnerId: string, storedTier: unknown): void {
    const { rateLimitPerSecond: rate, burstLimit: burst } = PARTNER_TIERS[tierOf(storedTier)];
    const now = this.clock.now();
    const bucket = this.buckets.get(partnerId) ?? { tokens: burst, refilledAt: now };

    const elapsedSeconds = Math.max(0, now - bucket.refilledAt) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * rate);
    bucket.refilledAt = now;
    this.buckets.set(partnerId, bucket);

    if (bucket.tokens < 1) {
      throw new AppError('rate_limited', 'Too many requests; slow down', {
        reason: 'partner_throttled',
        retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)),
      });
    }
    bucket.tokens -= 1;
  }
}
