import type { APIGatewayProxyResult } from 'aws-lambda';
import type { AppError } from '../core/errors.js';

const SECURITY_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

/**
 * Embed and session routes are called from partners' web pages. They carry credentials in the
 * Authorization header, never in cookies, so any origin may call them.
 */
export const BROWSER_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type',
  'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
};

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...SECURITY_HEADERS, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function errorResponse(
  error: Pick<AppError, 'code' | 'status' | 'message' | 'retryAfterSeconds'>,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  const retryAfter: Record<string, string> =
    error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
  return jsonResponse(
    error.status,
    { error: { code: error.code, message: error.message } },
    { ...headers, ...retryAfter },
  );
}
