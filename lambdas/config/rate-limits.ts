import { EMBED_AUTH_LIMIT_PER_MINUTE } from './session-policy.js';

/** The limits the handlers enforce themselves, handed to them by the runtime. */
export interface RateLimits {
  /** Embed login attempts per client IP per minute. */
  readonly embedAuthPerMinute: number;
}

/** The spec's figures: what Lambda always uses and the twin uses unless overridden. */
export const SPEC_RATE_LIMITS: RateLimits = {
  embedAuthPerMinute: EMBED_AUTH_LIMIT_PER_MINUTE,
};
