import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import { MAX_REQUEST_BODY_BYTES } from '../config/session-policy.js';
import { AppError } from '../core/errors.js';

/** Header lookup that ignores case, as HTTP does. */
export function header(
  event: { readonly headers?: Record<string, string | undefined> | null },
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** The credential in `Authorization: Bearer <credential>`. */
export function bearerCredential(event: APIGatewayProxyEvent): string {
  const authorization = header(event, 'authorization');
  const match = authorization?.match(/^Bearer ([\x21-\x7e]{1,8192})$/);
  if (!match?.[1]) {
    throw new AppError('missing_credentials', 'Send Authorization: Bearer <credential>');
  }
  return match[1];
}

/** Parses and validates a JSON body: oversized, malformed or invalid ones never reach logic. */
export function parseBody<T>(event: APIGatewayProxyEvent, schema: z.ZodType<T>): T {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw, 'utf8') > MAX_REQUEST_BODY_BYTES) {
    throw new AppError('payload_too_large', `The body exceeds ${MAX_REQUEST_BODY_BYTES} bytes`);
  }

  let json: unknown;
  try {
    json = raw.length === 0 ? {} : JSON.parse(raw);
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON');
  }

  const result = schema.safeParse(json);
  if (!result.success) throw validationFailed('field', result.error.issues[0], 'body');
  return result.data;
}

/** Parses and validates the query string, answering 400 with the first bad parameter. */
export function parseQuery<T>(event: APIGatewayProxyEvent, schema: z.ZodType<T>): T {
  const result = schema.safeParse(event.queryStringParameters ?? {});
  if (!result.success) throw validationFailed('parameter', result.error.issues[0], 'query');
  return result.data;
}

function validationFailed(
  what: string,
  issue: z.core.$ZodIssue | undefined,
  fallback: string,
): AppError {
  const name = issue?.path.join('.') || fallback;
  return new AppError('validation_failed', `Invalid ${what} '${name}': ${issue?.message ?? ''}`);
}

/**
 * A path parameter API Gateway guarantees by the route's path template, percent-decoded once.
 * A value that does not decode is answered like any other malformed id.
 */
export function pathParameter(
  request: { readonly event: APIGatewayProxyEvent },
  name: string,
): string {
  const raw = request.event.pathParameters?.[name];
  let value: string | undefined;
  try {
    value = raw === undefined ? undefined : decodeURIComponent(raw);
  } catch {
    value = undefined;
  }
  if (value === undefined || value === '') {
    throw new AppError('invalid_request', `The path needs a valid ${name}`);
  }
  return value;
}
