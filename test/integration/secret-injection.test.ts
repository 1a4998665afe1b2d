import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../lambdas/core/errors.js';
import { organizationRefKey, secretItemKey } from '../../lambdas/core/keys.js';
import { SecretDecryptionError } from '../../lambdas/core/secret-cipher.js';
import { withOrganizationSecrets } from '../../lambdas/core/secret-injection.js';
import { handler as partnerPut } from '../../lambdas/handlers/partner-secret-put.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { onboardPartner } from '../support/partners.js';
import { partnerEvent, secretValue } from '../support/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
const values = {
  OPENAI_API_KEY: secretValue('openai'),
  ANTHROPIC_API_KEY: secretValue('anthropic'),
  PLATFORM_KEY: secretValue('platform'),
};

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
  await onboardPartner(env.runtime, 'acme');
  await onboardPartner(env.runtime, 'globex');
});

afterAll(() => env.dispose());

function provision(partnerId: string, orgId: string, key: string, value: string) {
  return partnerPut(
    partnerEvent(
      'POST',
      '/api/v1/partner/secrets',
      { partnerId },
      {
        body: {
          org_id: orgId,
          key,
          value,
          managed_by: key === 'PLATFORM_KEY' ? 'partner' : 'user',
        },
      },
    ),
  );
}

async function organizationIdOf(partnerId: string, orgId: string): Promise<string> {
  return (await env.runtime.table.get(organizationRefKey(partnerId, orgId)))!.target_id as string;
}

/** Copies a stored secret item, ciphertext and all, to another organization or name. */
async function copySecret(from: [string, string], to: [string, string]) {
  const item = (await env.runtime.table.get(secretItemKey(...from)))!;
  await env.runtime.table.put({ ...item, ...secretItemKey(...to), secret_key: to[1] });
}

describe('runtime injection of secrets into an agent execution', () => {
  it('hands every secret of the organization, decrypted, to the execution', async () => {
    for (const [key, value] of Object.entries(values))
      await provision('acme', 'org-run', key, value);
    const organizationId = await organizationIdOf('acme', 'org-run');

    const seen = await withOrganizationSecrets(env.runtime, organizationId, async (secrets) =>
      Object.fromEntries(secrets),
    );

    expect(seen).toEqual(values);
  });

  it('empties the map once the execution settles, whether it succeeds or fails', async () => {
    const organizationId = await organizationIdOf('acme', 'org-run');
    let kept: ReadonlyMap<string, string> | undefined;

    await withOrganizationSecrets(env.runtime, organizationId, async (secrets) => {
      kept = secrets;
    });
    expect(kept?.size).toBe(0);
    const failure = withOrganizationSecrets(env.runtime, organizationId, async (secrets) => {
      kept = secrets;
      throw new Error('agent failed');
    });

    await expect(failure).rejects.toThrow('agent failed');
    expect(kept?.size).toBe(0);
  });

  it("never includes another organization's secrets", async () => {
    await provision('acme', 'org-neighbour', 'NEIGHBOUR_KEY', secretValue('neighbour'));
    const organizationId = await organizationIdOf('acme', 'org-neighbour');

    const keys = await withOrganizationSecrets(env.runtime, organizationId, async (secrets) => [
      ...secrets.keys(),
    ]);

    expect(keys).toEqual(['NEIGHBOUR_KEY']);
  });

  it('refuses an organization that does not exist with not_found', async () => {
    const run = withOrganizationSecrets(env.runtime, 'no-such-org', async () => 'ran');

    await expect(run).rejects.toMatchObject({ code: 'not_found' });
    await expect(run).rejects.toBeInstanceOf(AppError);
  });
});

describe('the encryption context binding', () => {
  it.each([
    ['another organization of the same partner', 'acme', 'org-target-1', 'OPENAI_API_KEY'],
    ["another partner's organization", 'globex', 'org-target-2', 'OPENAI_API_KEY'],
    ['another key name in the same organization', 'acme', 'org-run', 'RENAMED_KEY'],
  ])('fails to decrypt a ciphertext copied to %s', async (_, partnerId, orgId, key) => {
    await provision(partnerId, orgId, 'UNRELATED', secretValue('unrelated'));
    const source = await organizationIdOf('acme', 'org-run');
    const target = await organizationIdOf(partnerId, orgId);
    await copySecret([source, 'OPENAI_API_KEY'], [target, key]);
    let executed = false;

    const run = withOrganizationSecrets(env.runtime, target, async () => {
      executed = true;
    });

    await expect(run).rejects.toBeInstanceOf(SecretDecryptionError);
    await expect(run).rejects.toMatchObject({ secretKey: key });
    expect(executed).toBe(false);
    await env.runtime.table.delete(secretItemKey(target, key));
  });
});

describe('logging while secrets are written and injected', () => {
  let logs: LogCapture;

  beforeEach(() => {
    logs = captureLogs();
  });

  afterEach(() => logs.restore());

  it('writes no secret value in any log line, even at DEBUG', async () => {
    const value = secretValue('logged');
    await provision('acme', 'org-logs', 'LOGGED_KEY', value);
    const refused = await provision('acme', 'org-logs', 'bad-name', secretValue('refused'));
    const organizationId = await organizationIdOf('acme', 'org-logs');

    const received = await withOrganizationSecrets(env.runtime, organizationId, async (secrets) =>
      secrets.get('LOGGED_KEY'),
    );

    expect(received).toBe(value);
    expect(refused.statusCode).toBe(400);
    expect(logs.lines.some((line) => line.includes('request completed'))).toBe(true);
    expect(logs.lines.filter((line) => line.includes(value))).toEqual([]);
    expect(logs.lines.filter((line) => line.includes('sk_live_'))).toEqual([]);
  });
});
