import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Route } from '../lambdas/routes.js';

/**
 * Builds the event API Gateway's Lambda proxy integration would send for this request, so the
 * twin runs the handlers exactly as deployed.
 */
export function toProxyEvent(
  request: IncomingMessage,
  url: URL,
  route: Route,
  pathParameters: Record<string, string>,
  body: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(',');
  }

  const query = Object.fromEntries(url.searchParams.entries());
  const sourceIp = normalizeIp(request.socket.remoteAddress ?? '127.0.0.1');

  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body: body.length > 0 ? body : null,
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      resourcePath: route.path,
      httpMethod: route.method,
      path: url.pathname,
      stage: 'local',
      identity: { sourceIp, userAgent: headers['user-agent'] ?? null },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
