import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTable } from '../../lambdas/adapters/dynamo-table.js';
import { PARTNER_TIERS, type PartnerTier } from '../../lambdas/config/partner-tiers.js';
import { PLATFORM_TABLE } from '../../lambdas/config/table-schema.js';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { registerPartner } from '../../lambdas/core/partners.js';
import { assignTier } from '../../lambdas/core/usage-keys.js';
import { localDynamoConfig } from '../../local/store.js';
import { startTwin, type RunningTwin } from '../../local/twin.js';
import { TestClock } from '../support/clock.js';
import { rsaKeyPair, signEmbedToken, type TestPartner } from '../support/partners.js';

let twin: RunningTwin;
let dataDir: string;
let table: DynamoTable;
const clock = new TestClock();
const savedLimit = process.env.LOGICNODES_AUTH_RATE_LIMIT;

beforeAll(async () => {
  // The twin reads its one override at start; this suite wants the spec's figure.
  process.env.LOGICNODES_AUTH_RATE_LIMIT = '10';
  dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-twin-'));
  twin = await startTwin({ dataDir, port: 0, clock });
  table = new DynamoTable(PLATFORM_TABLE.localName, localDynamoConfig(twin.store.endpoint));
});

afterAll(async () => {
  process.env.LOGICNODES_AUTH_RATE_LIMIT = savedLimit;
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function onboard(partnerId: string, tier: PartnerTier = 'standard') {
  const { privateKey, publicKeyPem } = rsaKeyPair();
  const { keyId } = await registerPartner(table, clock, {
    partnerId,
    name: partnerId,
    publicKeyPem,
  });
  await assignTier(table, partnerId, tier);
  const { apiKey } = await issueApiKey(table, clock, partnerId);
  const partner: TestPartner = { partnerId, keyId, privateKey, publicKeyPem };
  return { partner, apiKey };
}

function call(path: string, init: { method?: string; key?: string; body?: unknown } = {}) {
  return fetch(`${twin.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const keyInfo = (key: string) => call('/api/v1/partner/api-key/info', { key });

const json = async (response: Response): Promise<any> => response.json();

describe('the twin over HTTP', () => {
  it('answers the 11th embed login in a minute from one address with a JSON 429', async () => {
    const { partner } = await onboard('login-limit');
    clock.advanceSeconds(60 - ((clock.now() / 1000) % 60));
    const login = async () =>
      call('/api/v1/embed/auth', {
        method: 'POST',
        body: { token: await signEmbedToken(partner, { nowMs: clock.now() }) },
      });

    for (let i = 0; i < 10; i += 1) expect((await login()).status).toBe(200);
    const eleventh = await login();

    expect(eleventh.status).toBe(429);
    expect(eleventh.headers.get('retry-after')).toBe('60');
    expect(await eleventh.json()).toEqual({
      error: { code: 'rate_limited', message: 'Too many attempts; slow down' },
    });
  });

  it("throttles a partner past its tier's burst with 429 and Retry-After", async () => {
    const { apiKey } = await onboard('bursty');
    const { burstLimit } = PARTNER_TIERS.standard;

    for (let i = 0; i < burstLimit; i += 1) expect((await keyInfo(apiKey)).status).toBe(200);
    const over = await keyInfo(apiKey);

    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    expect((await json(over)).error.code).toBe('rate_limited');

    clock.advanceSeconds(1);
    expect((await keyInfo(apiKey)).status).toBe(200);
  });

  it('gives each partner its own bucket, sized by its tier', async () => {
    const { apiKey: standardKey } = await onboard('crowded');
    const { apiKey: premiumKey } = await onboard('roomy', 'premium');

    for (let i = 0; i < PARTNER_TIERS.standard.burstLimit; i += 1) await keyInfo(standardKey);
    expect((await keyInfo(standardKey)).status).toBe(429);

    for (let i = 0; i <= PARTNER_TIERS.standard.burstLimit; i += 1) {
      expect((await keyInfo(premiumKey)).status).toBe(200);
    }
  });

  it('rotates a key over HTTP: the new key works and the old one is refused', async () => {
    const { apiKey } = await onboard('rotator');

    const generated = await call('/api/v1/partner/api-key/generate', {
      method: 'POST',
      key: apiKey,
    });
    const { api_key: fresh } = await json(generated);

    expect(generated.status).toBe(200);
    expect((await keyInfo(fresh)).status).toBe(200);
    const old = await keyInfo(apiKey);
    expect(old.status).toBe(401);
    expect((await json(old)).error.code).toBe('invalid_api_key');
  });

  it('refuses a partner call without credentials before any handler runs', async () => {
    const result = await call('/api/v1/partner/api-key/info');

    expect(result.status).toBe(401);
    expect((await json(result)).error.code).toBe('missing_credentials');
  });
});
