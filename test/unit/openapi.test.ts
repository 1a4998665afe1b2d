import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../lambdas/http/openapi.js';
import { ROUTES } from '../../lambdas/routes.js';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(ROUTES) as { paths: Record<string, any> };

  it('describes every route of the route table with its authentication', () => {
    for (const route of ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];

      expect(operation?.operationId).toBe(route.name);
      expect(operation?.security).toHaveLength(route.auth === 'public' ? 0 : 1);
    }
  });

  it('declares each path parameter as required', () => {
    const route = {
      name: 'example',
      method: 'DELETE',
      path: '/api/v1/things/{org_id}/{key}',
      auth: 'partner',
      grants: [],
      summary: 'Example',
    } as const;

    const operation = (buildOpenApiDocument([route]) as any).paths[route.path].delete;

    expect(operation.parameters).toEqual([
      { name: 'org_id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'key', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });
});
