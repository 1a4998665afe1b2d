import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export interface InvokeOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly sourceIp?: string;
}

/** The proxy event API Gateway sends, for driving a handler directly. */
export function proxyEvent(method: string, path: string, options: InvokeOptions = {}) {
  const body =
    options.body === undefined
      ? null
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return {
    httpMethod: method,
    path,
    resource: path,
    headers: { 'content-type': 'application/json', ...options.headers },
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'test-request',
      identity: { sourceIp: options.sourceIp ?? '203.0.113.10', userAgent: 'vitest' },
    },
  } as unknown as APIGatewayProxyEvent;
}

/** The parsed JSON body of a handler's result. */
export function bodyOf(result: APIGatewayProxyResult): any {
  return result.body ? JSON.parse(result.body) : undefined;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
