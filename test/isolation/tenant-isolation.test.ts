import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { ROUTES, type Route } from '../../lambdas/routes.js';
import { getRuntime } from '../../lambdas/runtime/runtime.js';
import { startTwin, type RunningTwin } from '../../local/twin.js';
import { call } from '../support/http.js';
import {
  onboardPartner,
  signEmbedToken,
  userClaims,
  type TestPartner,
} from '../support/partners.js';

/**
 * Tenant isolation, checked for every route of the route table over real HTTP. A new route is
 * covered the moment it is declared: each one is called by tenants other than the victim, with
 * the victim's identifiers wherever the route takes identifiers, and no answer may reveal them.
 */

interface Tenant {
  readonly partner: TestPartner;
  readonly apiKey: string;
  readonly partnerOrgId: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly accessToken: string;
}

let dataDir: string;
let twin: RunningTwin;
let victim: Tenant;
let otherPartner: Tenant;
let sameOtherOrg: Tenant;

async function tenant(partner: TestPartner, partnerOrgId: string, apiKey: string) {
  const claims = userClaims({
    user_id: `user-of-${partnerOrgId}`,
    org_id: partnerOrgId,
    role: 'admin',
  });
  const token = await signEmbedToken(partner, { claims });
  const login = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });
  expect(login.status).toBe(200);

  return {
    partner,
    apiKey,
    partnerOrgId,
    organizationId: login.body.organization_id as string,
    userId: login.body.user_id as string,
    accessToken: login.body.session.access_token as string,
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-isolation-'));
  twin = await startTwin({ dataDir, port: 0 });
  const runtime = await getRuntime();

  const acme = await onboardPartner(runtime, 'acme');
  const globex = await onboardPartner(runtime, 'globex');
  const acmeKey = (await issueApiKey(runtime.table, runtime.clock, 'acme')).apiKey;
  const globexKey = (await issueApiKey(runtime.table, runtime.clock, 'globex')).apiKey;

  victim = await tenant(acme, 'org-victim', acmeKey);
  otherPartner = await tenant(globex, 'org-globex', globexKey);
  sameOtherOrg = await tenant(acme, 'org-neighbour', acmeKey);
});

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The route's path with every parameter naming one of the victim's resources. */
function victimPath(route: Route): string {
  const values: Record<string, string> = {
    org_id: victim.partnerOrgId,
    organization_id: victim.organizationId,
    user_id: victim.userId,
    partner_id: victim.partner.partnerId,
  };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? 'ISOLATION_PROBE'),
  );
}

function victimQuery(): string {
  const query = new URLSearchParams({
    partner_id: victim.partner.partnerId,
    org_id: victim.partnerOrgId,
  });
  return `?${query}`;
}

function attempt(route: Route, credential: string) {
  const body = ['POST', 'PUT', 'PATCH'].includes(route.method)
    ? { org_id: victim.partnerOrgId, organization_id: victim.organizationId }
    : undefined;
  return call(twin.url, route.method, victimPath(route) + victimQuery(), {
    token: credential,
    body,
  });
}

function expectNothingOfTheVictim(result: { body: unknown }) {
  const text = JSON.stringify(result.body ?? '');
  expect(text).not.toContain(victim.organizationId);
  expect(text).not.toContain(victim.userId);
}

const routes: readonly Route[] = ROUTES;
const protectedRoutes = routes.filter((route) => route.auth !== 'public');
const sessionRoutes = routes.filter((route) => route.auth === 'session');
const partnerRoutes = routes.filter((route) => route.auth === 'partner');

describe('tenant isolation across the route table', () => {
  it.each(protectedRoutes.map((r) => [r.method, r.path, r] as const))(
    '%s %s refuses a caller without credentials',
    async (_, __, route) => {
      const result = await call(twin.url, route.method, victimPath(route));

      expect(result.status).toBe(401);
      expectNothingOfTheVictim(result);
    },
  );

  it.each(sessionRoutes.map((r) => [r.method, r.path, r] as const))(
    "%s %s shows users of other organizations none of the victim's data",
    async (_, __, route) => {
      for (const intruder of [otherPartner, sameOtherOrg]) {
        const result = await attempt(route, intruder.accessToken);

        expectNothingOfTheVictim(result);
      }
    },
  );

  it.each(partnerRoutes.map((r) => [r.method, r.path, r] as const))(
    "%s %s gives another partner none of the victim's data",
    async (_, __, route) => {
      const result = await attempt(route, otherPartner.apiKey);

      expectNothingOfTheVictim(result);
      if (route.path.includes('{org_id}')) expect([403, 404]).toContain(result.status);
    },
  );
});
