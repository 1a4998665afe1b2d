import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import { getRuntime } from '../../lambdas/runtime/runtime.js';
import { startTwin, type RunningTwin } from '../../local/twin.js';
import { logicnodes } from '../support/cli.js';
import { call } from '../support/http.js';
import { onboardPartner, signEmbedToken, userClaims } from '../support/partners.js';

let dataDir: string;
let twin: RunningTwin;
let apiKey: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-audit-http-'));
  twin = await startTwin({ dataDir, port: 0 });
  const runtime = await getRuntime();
  const partner = await onboardPartner(runtime, 'hooli');
  apiKey = (await issueApiKey(runtime.table, runtime.clock, 'hooli')).apiKey;

  const token = await signEmbedToken(partner, { claims: userClaims({ org_id: 'org-http' }) });
  await call(twin.url, 'POST', '/api/v1/embed/auth', { body: { token } });
});

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the audit log over the twin', () => {
  it('shows a partner, with its API key, its logins and its key use', async () => {
    const result = await call(twin.url, 'GET', '/api/v1/partner/audit-logs?partner_id=hooli', {
      token: apiKey,
    });

    expect(result.status).toBe(200);
    const types = result.body.audit_logs.map((r: { event_type: string }) => r.event_type);
    expect(types).toEqual(
      expect.arrayContaining(['jwt_validation', 'session_created', 'api_key_authenticated']),
    );
  });

  it('filters by organization over HTTP', async () => {
    const result = await call(twin.url, 'GET', '/api/v1/partner/audit-logs?org_id=org-http', {
      token: apiKey,
    });

    expect(result.body.audit_logs.length).toBe(2);
    expect(result.body.audit_logs.every((r: { org_id: string }) => r.org_id === 'org-http')).toBe(
      true,
    );
  });

  it('refuses a request without a valid key with 401', async () => {
    const result = await call(twin.url, 'GET', '/api/v1/partner/audit-logs', {
      token: apiKey.slice(0, -2) + 'zz',
    });

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('invalid_api_key');
  });

  it('verifies the local log from the CLI while the twin runs', async () => {
    const result = await logicnodes(['audit', 'verify', '--partner', 'hooli'], dataDir);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ partner_id: 'hooli', ok: true });
  });

  it('answers a bad date with the usage and exit code 2', async () => {
    const result = await logicnodes(['audit', 'seal', '--date', 'yesterday'], dataDir);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--date must be YYYY-MM-DD');
  });
});
