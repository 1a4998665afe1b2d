/** How long sessions live. The spec promises one hour of idleness and one-hour access tokens. */
export const SESSION_POLICY = {
  accessTokenSeconds: 3600,
  idleTimeoutSeconds: 3600,
  /** Hard ceiling from login, whatever the activity; refresh tokens cannot extend past it. */
  absoluteLifetimeSeconds: 24 * 3600,
  /** Last-activity is written at most this often, so busy sessions do not write per request. */
  activityWriteIntervalSeconds: 60,
} as const;

/** Rules for the partner-signed embed token. */
export const EMBED_TOKEN_POLICY = {
  algorithm: 'RS256',
  /** The only `aud` accepted, when a token carries one. */
  audience: 'logicnodes',
  clockToleranceSeconds: 60,
  /** The spec tells partners never to issue tokens valid for more than 24 hours. */
  maxLifetimeSeconds: 24 * 3600,
  /** Refused before any parsing; a real RS256 token with the spec's claims is under 2 KB. */
  maxTokenBytes: 8192,
  minRsaModulusBits: 2048,
} as const;

/** The largest request body any route accepts, checked before JSON parsing. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

/** The spec's per-IP limit on embed authentication, enforced by WAF and by the handler. */
export const EMBED_AUTH_LIMIT_PER_MINUTE = 10;
