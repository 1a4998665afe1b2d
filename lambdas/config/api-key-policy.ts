/** Rules for partner API keys, shared by the handlers, the authorizer and the stack. */
export const API_KEY_POLICY = {
  /** The longest a rotated-out key may keep working, when the partner asks for an overlap. */
  maxOverlapSeconds: 86_400,
  /**
   * How long API Gateway reuses the authorizer's answer for one Authorization header. It bounds
   * how long a revoked or rotated-out key can still get through, and how far behind the
   * authorizer's view of `last_used_at` can be.
   */
  authorizerCacheSeconds: 30,
  /** Warm containers remember this many verified keys, so a known key skips bcrypt. */
  verifiedKeyCacheSize: 1000,
} as const;
