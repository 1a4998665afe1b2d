import { describe, expect, it } from 'vitest';
import { PARTNER_TIERS } from '../../lambdas/config/partner-tiers.js';
import { SPEC_RATE_LIMITS } from '../../lambdas/config/rate-limits.js';
import { AppError } from '../../lambdas/core/errors.js';
import { PartnerThrottle } from '../../local/partner-throttle.js';
import { localRateLimits } from '../../local/rate-limit-override.js';
import { TestClock } from '../support/clock.js';

describe('the twin limit override', () => {
  it("uses the spec's 10 per minute when LOGICNODES_AUTH_RATE_LIMIT is unset", () => {
    expect(localRateLimits({})).toEqual(SPEC_RATE_LIMITS);
    expect(localRateLimits({}).embedAuthPerMinute).toBe(10);
  });

  it('takes LOGICNODES_AUTH_RATE_LIMIT as requests per minute', () => {
    expect(localRateLimits({ LOGICNODES_AUTH_RATE_LIMIT: '500' }).embedAuthPerMinute).toBe(500);
  });

  it.each(['0', '-3', '1.5', 'ten', '10abc'])('refuses to start with the value %s', (value) => {
    expect(() => localRateLimits({ LOGICNODES_AUTH_RATE_LIMIT: value })).toThrow(
      /LOGICNODES_AUTH_RATE_LIMIT must be a positive integer/,
    );
  });
});

describe('the twin partner throttle', () => {
  function drain(throttle: PartnerThrottle, partnerId: string, tier: string): number {
    let allowed = 0;
    for (;;) {
      try {
        throttle.take(partnerId, tier);
        allowed += 1;
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
        return allowed;
      }
    }
  }

  it("allows a tier's burst at once, then refuses with a Retry-After", () => {
    const throttle = new PartnerThrottle(new TestClock());

    expect(drain(throttle, 'a', 'standard')).toBe(PARTNER_TIERS.standard.burstLimit);
    expect(drain(throttle, 'b', 'premium')).toBe(PARTNER_TIERS.premium.burstLimit);
    expect(() => throttle.take('a', 'standard')).toThrow(
      expect.objectContaining({ retryAfterSeconds: 1 }),
    );
  });

  it("refills at the tier's steady rate, never above its burst", () => {
    const clock = new TestClock();
    const throttle = new PartnerThrottle(clock);
    drain(throttle, 'a', 'standard');

    clock.advanceSeconds(1);
    expect(drain(throttle, 'a', 'standard')).toBe(PARTNER_TIERS.standard.rateLimitPerSecond);

    clock.advanceSeconds(3600);
    expect(drain(throttle, 'a', 'standard')).toBe(PARTNER_TIERS.standard.burstLimit);
  });

  it('treats a partner without a recorded tier as standard', () => {
    const throttle = new PartnerThrottle(new TestClock());

    expect(drain(throttle, 'legacy', undefined as never)).toBe(PARTNER_TIERS.standard.burstLimit);
  });
});
