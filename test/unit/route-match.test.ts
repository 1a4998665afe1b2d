import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../lambdas/http/route-match.js';
import type { Route } from '../../lambdas/routes.js';

const routes: Route[] = [
  {
    name: 'a',
    method: 'GET',
    path: '/api/v1/things/{id}',
    auth: 'public',
    grants: [],
    summary: '',
  },
  {
    name: 'b',
    method: 'DELETE',
    path: '/api/v1/things/{id}',
    auth: 'public',
    grants: [],
    summary: '',
  },
];

describe('matchRoute', () => {
  it('finds the route by path template, leaving parameters encoded as API Gateway does', () => {
    const match = matchRoute('GET', '/api/v1/things/org%2Fone', routes);

    expect(match).toMatchObject({ kind: 'route', params: { id: 'org%2Fone' } });
  });

  it('reports the allowed methods for a known path under another method', () => {
    expect(matchRoute('POST', '/api/v1/things/1', routes)).toEqual({
      kind: 'wrong-method',
      allowed: ['GET', 'DELETE'],
    });
  });

  it('reports nothing for an unknown path or an empty parameter', () => {
    expect(matchRoute('GET', '/api/v1/things', routes).kind).toBe('none');
    expect(matchRoute('GET', '/api/v1/things/', routes).kind).toBe('none');
  });
});
