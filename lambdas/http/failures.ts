import { AppError } from '../core/errors.js';

/** AWS error names that mean "try again shortly", not "the request was wrong". */
const TRANSIENT_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'TimeoutError',
  'KMSInternalException',
  'DependencyTimeoutException',
]);

/**
 * Turns any failure into an AppError safe to show the caller. Errors the platform raised keep
 * their code; infrastructure errors become a bare 503 or 500 that names nothing internal.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;

  const name = (error as { name?: string })?.name ?? '';
  const retryable = (error as { $retryable?: unknown })?.$retryable !== undefined;
  if (TRANSIENT_ERRORS.has(name) || retryable || isConnectionFailure(error)) {
    return new AppError('service_unavailable', 'The service is busy; try again shortly', {
      retryAfterSeconds: 1,
      reason: 'dependency_unavailable',
      cause: error,
    });
  }
  return new AppError('internal_error', 'Something went wrong on our side', { cause: error });
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT';
}

/** What a log line may say about a failure: its class and code, never its message or stack. */
export function describeFailure(error: unknown): Record<string, string> {
  const name = (error as { name?: string })?.name ?? typeof error;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? { error_type: name, error_code: code } : { error_type: name };
}
