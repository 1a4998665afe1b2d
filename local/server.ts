import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { MAX_REQUEST_BODY_BYTES } from '../lambdas/config/session-policy.js';
import { AppError } from '../lambdas/core/errors.js';
import type { LambdaHandler } from '../lambdas/http/define-handler.js';
import { BROWSER_HEADERS, errorResponse } from '../lambdas/http/responses.js';
import { toAppError } from '../lambdas/http/failures.js';
import { matchRoute } from '../lambdas/http/route-match.js';
import { fallbackResponse } from '../lambdas/handlers/fallback.js';
import { ROUTES, type Route } from '../lambdas/routes.js';
import { systemClock, type Clock } from '../lambdas/core/ports.js';
import { toProxyEvent } from './lambda-event.js';
import { authorizePartnerRequest } from './partner-authorizer.js';
import { PartnerThrottle } from './partner-throttle.js';

const handlers = new Map<string, Promise<LambdaHandler>>();

/** Loads a route's handler module once, as a Lambda container would. */
function loadHandler(route: Route): Promise<LambdaHandler> {
  let handler = handlers.get(route.name);
  if (!handler) {
    const url = new URL(`../lambdas/handlers/${route.name}.ts`, import.meta.url);
    handler = import(url.href).then((module: { handler: LambdaHandler }) => module.handler);
    handlers.set(route.name, handler);
  }
  return handler;
}

/**
 * The local twin's HTTP front: it plays API Gateway for the route table, turning each request
 * into the proxy event a deployed Lambda would get and each result back into HTTP. Partner routes
 * are throttled per partner by tier, as the usage plans do; `clock` drives that throttle.
 */
export function createLocalServer(clock: Clock = systemClock): Server {
  const throttle = new PartnerThrottle(clock);
  const server = createServer((request, response) => {
    serve(request, response, throttle).catch(() => {
      send(response, errorResponse(new AppError('internal_error', 'Something went wrong')));
    });
  });

  // Requests Node rejects before routing (oversized headers, broken HTTP) still get JSON.
  server.on('clientError', (_error, socket) => {
    if (!socket.writable) return;
    const body = JSON.stringify({
      error: { code: 'invalid_request', message: 'The request could not be read' },
    });
    socket.end(
      'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  throttle: PartnerThrottle,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';

  // Like the stack, only browser-facing paths answer CORS preflight; partner paths are 405.
  if (method === 'OPTIONS' && servesBrowsers(url.pathname)) {
    response.writeHead(204, BROWSER_HEADERS).end();
    return;
  }

  const match = matchRoute(method, url.pathname);
  if (match.kind !== 'route') {
    request.resume();
    send(response, fallbackResponse(method, url.pathname));
    return;
  }

  const body = await readBody(request);
  if (body === undefined) {
    const error = new AppError(
      'payload_too_large',
      `The body exceeds ${MAX_REQUEST_BODY_BYTES} bytes`,
    );
    send(response, errorResponse(error));
    return;
  }

  const handler = await loadHandler(match.route);
  let event = toProxyEvent(request, url, match.route, match.params, body);
  if (match.route.auth === 'partner') {
    try {
      event = await authorizePartnerRequest(event);
      const context = event.requestContext.authorizer as Record<string, unknown>;
      throttle.take(String(context.partner_id), context.tier);
    } catch (error) {
      send(response, errorResponse(toAppError(error)));
      return;
    }
  }
  send(response, await handler(event));
}

/** The body as text, or undefined when it is larger than any route accepts. */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;

    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(size > MAX_REQUEST_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, result: APIGatewayProxyResult): void {
  if (response.headersSent) return;
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
  response.writeHead(result.statusCode, headers).end(result.body);
}

/** Whether some route at this path is called from browsers (any route but a partner's). */
function servesBrowsers(path: string): boolean {
  return ROUTES.some(
    (route) => route.auth !== 'partner' && matchRoute(route.method, path, [route]).kind === 'route',
  );
}
