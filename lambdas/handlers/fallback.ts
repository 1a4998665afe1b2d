import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError } from '../core/errors.js';
import { matchRoute } from '../http/route-match.js';
import { BROWSER_HEADERS, errorResponse } from '../http/responses.js';

/**
 * Answers every request no route takes: 405 with `Allow` when the path exists under another
 * method, 404 otherwise. It is not in the route table because it serves no route. CORS headers
 * let a browser on a partner page read the JSON error instead of a bare CORS failure.
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return fallbackResponse(event.httpMethod, event.path);
}

export function fallbackResponse(method: string, path: string): APIGatewayProxyResult {
  const match = matchRoute(method, path);

  if (match.kind === 'wrong-method') {
    const error = new AppError('method_not_allowed', `Use ${match.allowed.join(' or ')} here`);
    return errorResponse(error, { ...BROWSER_HEADERS, allow: match.allowed.join(', ') });
  }
  return errorResponse(new AppError('not_found', 'No such route'), BROWSER_HEADERS);
}
