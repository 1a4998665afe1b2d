import { ERROR_STATUS } from '../core/errors.js';
import type { Route } from '../routes.js';

const SECURITY = {
  public: [],
  session: [{ sessionToken: [] }],
  partner: [{ partnerApiKey: [] }],
} as const;

/**
 * The OpenAPI 3.1 description of the API, derived from the route table so it cannot drift from
 * what is deployed: paths, methods, authentication, path parameters and the error shape.
 */
export function buildOpenApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};

  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.name,
      summary: route.summary,
      security: SECURITY[route.auth],
      parameters: pathParameters(route.path),
      responses: {
        '2XX': { description: 'Success' },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: { title: 'LogicNodes partner platform', version: '1' },
    paths,
    components: {
      securitySchemes: {
        sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        partnerApiKey: { type: 'http', scheme: 'bearer', description: 'pk_<partner>_<secret>' },
      },
      schemas: { Error: errorSchema() },
    },
  };
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function errorSchema() {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
          message: { type: 'string' },
        },
      },
    },
  };
}
