import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { listSecrets } from '../../lambdas/core/secrets.js';
import { ROUTES, type Route } from '../../lambdas/routes.js';
import { getRuntime, type Runtime } from '../../lambdas/runtime/runtime.js';
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
 * covered the moment it is declared: other tenants call it with fresh credentials, valid bodies
 * and the victim's identifiers wherever the route takes identifiers. The other partner even has
 * an organization and a user with the victim's own partner-side ids. No answer may reveal the
 * victim's data, and afterwards the victim's secret and session must be exactly as they were.
 */

const VICTIM_ORG = 'org-victim';
const VICTIM_USER = 'user-of-org-victim';
const VICTIM_SECRET = { key: 'VICTIM_SECRET', description: 'victim-description-7f3a' };

let dataDir: string;
let twin: RunningTwin;
let runtime: Runtime;
let acme: TestPartner;
let globex: TestPartner;
let victim: { organizationId: string; userId: string; accessToken: string };

async function login(partner: TestPartner, orgId: string, userId: string) {
  const claims = userClaims({ user_id: userId, org_id: orgId, role: 'admin' });
  const token = await signEmbedToken(partner, { claims });
  const result = await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });
  expect(result.status).toBe(200);
  return {
    organizationId: result.body.organization_id as string,
    userId: result.body.user_id as string,
    accessToken: result.body.session.access_token as string,
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-isolation-'));
  twin = await startTwin({ dataDir, port: 0 });
  runtime = await getRuntime();
  acme = await onboardPartner(runtime, 'acme');
  globex = await onboardPartner(runtime, 'globex');

  victim = await login(acme, VICTIM_ORG, VICTIM_USER);
  const acmeKey = (await issueApiKey(runtime.table, runtime.clock, 'acme')).apiKey;
  const seeded = await call(twin.url, 'POST', '/api/v1/partner/secrets', {
    token: acmeKey,
    body: { org_id: VICTIM_ORG, ...VICTIM_SECRET, value: 'victim-value', managed_by: 'user' },
  });
  expect(seeded.status).toBe(200);
});

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The route's path with every parameter naming one of the victim's resources. */
function victimPath(route: Route): string {
  const values: Record<string, string> = {
    org_id: VICTIM_ORG,
    user_id: VICTIM_USER,
    key: VICTIM_SECRET.key,
  };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? 'ISOLATION_PROBE'),
  );
  const query = new URLSearchParams({ partner_id: 'acme', org_id: VICTIM_ORG });
  return `${path}?${query}`;
}

/** A body every write route accepts, aimed at the victim's organization and secret. */
const probeBody = {
  org_id: VICTIM_ORG,
  key: VICTIM_SECRET.key,
  value: 'intruder-value',
  description: 'intruder',
  managed_by: 'user',
};

async function attempt(route: Route, credential: string) {
  const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? probeBody : undefined;
  return call(twin.url, route.method, victimPath(route), { token: credential, body });
}

function expectNothingOfTheVictim(result: { body: unknown }) {
  const text = JSON.stringify(result.body ?? '');
  for (const secret of [victim.organizationId, victim.userId, VICTIM_SECRET.description]) {
    expect(text).not.toContain(secret);
  }
}

/** The victim's secret and session survive whatever the intruder did. */
async function expectVictimUntouched() {
  const secrets = await listSecrets(runtime.table, victim.organizationId);
  expect(secrets).toEqual([expect.objectContaining(VICTIM_SECRET)]);

  const me = await call(twin.url, 'GET', '/api/v1/me', { token: victim.accessToken });
  expect(me.status).toBe(200);
}

const routes: readonly Route[] = ROUTES;
const protectedRoutes = routes.filter((route) => route.auth !== 'public');
const sessionRoutes = routes.filter((route) => route.auth === 'session');
const partnerRoutes = routes.filter((route) => route.auth === 'partner');
const cases = (list: readonly Route[]) => list.map((r) => [r.method, r.path, r] as const);

describe('tenant isolation across the route table', () => {
  it.each(cases(protectedRoutes))('%s %s refuses a caller without credentials', async (...c) => {
    const route = c[2];

    const result = await call(twin.url, route.method, victimPath(route));

    expect(result.status).toBe(401);
    expectNothingOfTheVictim(result);
  });

  it.each(cases(sessionRoutes))(
    "%s %s gives users of other organizations nothing of the victim's",
    async (...c) => {
      const route = c[2];
      const neighbour = await login(acme, 'org-neighbour', 'neighbour-user');
      const foreigner = await login(globex, VICTIM_ORG, VICTIM_USER);

      for (const intruder of [neighbour, foreigner]) {
        const result = await attempt(route, intruder.accessToken);

        expect(result.status).not.toBe(401);
        expect(result.status).toBeLessThan(500);
        expectNothingOfTheVictim(result);
      }
      await expectVictimUntouched();
    },
  );

  it.each(cases(partnerRoutes))(
    "%s %s gives another partner nothing of the victim's",
    async (...c) => {
      const route = c[2];
      const intruderKey = (await issueApiKey(runtime.table, runtime.clock, 'globex')).apiKey;

      const result = await attempt(route, intruderKey);

      expect(result.status).not.toBe(401);
      expect(result.status).toBeLessThan(500);
      expectNothingOfTheVictim(result);
      await expectVictimUntouched();
    },
  );
});
