/**
 * Every failure the platform reports to a caller. The code is stable and machine-readable; the
 * HTTP status for each code is decided here and nowhere else.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_secret_key: 400,
  invalid_token: 401,
  token_expired: 401,
  token_not_yet_valid: 401,
  token_lifetime_too_long: 401,
  invalid_claims: 401,
  token_replayed: 401,
  missing_credentials: 401,
  invalid_access_token: 401,
  session_expired: 401,
  session_revoked: 401,
  invalid_refresh_token: 401,
  invalid_api_key: 401,
  refresh_token_reused: 401,
  forbidden: 403,
  secret_managed_by_partner: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  partner_exists: 409,
  payload_too_large: 413,
  secret_value_too_large: 413,
  rate_limited: 429,
  quota_exceeded: 429,
  service_unavailable: 503,
  encryption_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  /** Why it failed, for the audit log and metrics only; never sent to the caller. */
  readonly reason?: string;
  /** Seconds the caller should wait, sent as Retry-After with 429 and 503. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly reason: string;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.reason = options.reason ?? code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Raised by a store when a conditional write finds the item not in the expected state. */
export class ConditionFailedError extends Error {
  constructor(cause?: unknown) {
    super('The item was not in the expected state', { cause });
    this.name = 'ConditionFailedError';
  }
}
