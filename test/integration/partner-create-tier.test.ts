import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGatewayUsageKeys } from '../../lambdas/adapters/api-gateway-usage-keys.js';
import { partnerKey } from '../../lambdas/core/keys.js';
import { authenticateApiKey } from '../../lambdas/core/partner-auth.js';
import { UsageError } from '../../local/cli/args.js';
import { partnerCreate } from '../../local/cli/partner-create.js';
import { partnerSetTier } from '../../local/cli/partner-set-tier.js';
import type { Target } from '../../local/cli/target.js';
import { rsaKeyPair } from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;
let pemFile: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  pemFile = join(env.dataDir, 'partner.pem');
  writeFileSync(pemFile, rsaKeyPair().publicKeyPem);
});

afterAll(() => env.dispose());

/** API Gateway's management API cannot run here, so its client is faked at the adapter edge. */
function fakeApiGateway(options: { failPlanKey?: boolean } = {}) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      if (command instanceof CreateApiKeyCommand) return { id: 'k-123', value: 'usage-value' };
      if (command instanceof CreateUsagePlanKeyCommand && options.failPlanKey) {
        throw Object.assign(new Error('no such plan'), { name: 'NotFoundException' });
      }
      return {};
    },
  };
  return { client: client as never, sent };
}

const plans = { standard: 'plan-standard', premium: 'plan-premium' };

function target(usage?: ApiGatewayUsageKeys): () => Promise<Target> {
  return async () => ({
    table: env.runtime.table,
    description: 'test store',
    usageKeys: usage,
    deployed: usage !== undefined,
    release: async () => {},
  });
}

const args = (id: string, ...more: string[]) => [
  '--id',
  id,
  '--name',
  `Partner ${id}`,
  '--public-key',
  pemFile,
  ...more,
];

describe('partner create --tier', () => {
  it('defaults to the standard tier, with no usage key locally', async () => {
    const out = await partnerCreate(args('tierless'), target());

    expect(out).toMatchObject({
      partner_id: 'tierless',
      tier: 'standard',
      usage_plan_key_id: null,
    });
    const item = await env.runtime.table.get(partnerKey('tierless'));
    expect(item).toMatchObject({ usage_tier: 'standard' });
    expect(item?.usage_key_value).toBeUndefined();
  });

  it('refuses a deployed table it cannot give a usage-plan key', async () => {
    const deployedWithoutPlans = async (): Promise<Target> => ({
      ...(await target()()),
      deployed: true,
    });

    await expect(partnerCreate(args('no-plans'), deployedWithoutPlans)).rejects.toThrow(/--stack/);
    expect(await env.runtime.table.get({ pk: 'PARTNER#no-plans', sk: 'PROFILE' })).toBeUndefined();
  });

  it('records the tier it is given', async () => {
    await partnerCreate(args('big-one', '--tier', 'premium'), target());

    const item = await env.runtime.table.get(partnerKey('big-one'));
    expect(item?.usage_tier).toBe('premium');
  });

  it('refuses a tier that does not exist before touching the store', async () => {
    await expect(partnerCreate(args('odd', '--tier', 'gold'), target())).rejects.toThrow(
      UsageError,
    );
    expect(await env.runtime.table.get(partnerKey('odd'))).toBeUndefined();
  });

  it("on a stack, creates the partner's API Gateway key on its tier's plan", async () => {
    const gateway = fakeApiGateway();
    const usage = new ApiGatewayUsageKeys(gateway.client, plans);

    const out = await partnerCreate(args('deployed', '--tier', 'premium'), target(usage));

    expect(out.usage_plan_key_id).toBe('k-123');
    const [createKey, attach] = gateway.sent as [CreateApiKeyCommand, CreateUsagePlanKeyCommand];
    expect(createKey.input).toMatchObject({ name: 'partner-deployed', enabled: true });
    expect(attach.input).toEqual({
      usagePlanId: 'plan-premium',
      keyId: 'k-123',
      keyType: 'API_KEY',
    });
    const verified = await authenticateApiKey(env.runtime.table, String(out.api_key), env.clock);
    expect(verified).toMatchObject({ partnerId: 'deployed', tier: 'premium' });
    expect(verified.usageKey).toBe('usage-value');
  });

  it('removes the API Gateway key again when it cannot be put on the plan', async () => {
    const gateway = fakeApiGateway({ failPlanKey: true });
    const usage = new ApiGatewayUsageKeys(gateway.client, plans);

    await expect(usage.create('stranded', 'standard')).rejects.toThrow('no such plan');

    expect(gateway.sent.at(-1)).toBeInstanceOf(DeleteApiKeyCommand);
    expect((gateway.sent.at(-1) as DeleteApiKeyCommand).input).toEqual({ apiKey: 'k-123' });
  });
});

describe('partner set-tier', () => {
  it('records the new tier of a local partner', async () => {
    await partnerCreate(args('upgrader'), target());

    const out = await partnerSetTier(['--id', 'upgrader', '--tier', 'premium'], target());

    expect(out).toEqual({ partner_id: 'upgrader', tier: 'premium', usage_plan_key_id: null });
    expect((await env.runtime.table.get(partnerKey('upgrader')))?.usage_tier).toBe('premium');
  });

  it("on a stack, moves the partner's key from the old tier's plan to the new one", async () => {
    const gateway = fakeApiGateway();
    const usage = new ApiGatewayUsageKeys(gateway.client, plans);
    await partnerCreate(args('mover'), target(usage));
    gateway.sent.length = 0;

    await partnerSetTier(['--id', 'mover', '--tier', 'premium'], target(usage));

    const [leave, join] = gateway.sent as [DeleteUsagePlanKeyCommand, CreateUsagePlanKeyCommand];
    expect(leave.input).toEqual({ usagePlanId: 'plan-standard', keyId: 'k-123' });
    expect(join.input).toEqual({ usagePlanId: 'plan-premium', keyId: 'k-123', keyType: 'API_KEY' });
  });

  it('on a stack, gives a partner onboarded without one its usage key', async () => {
    await partnerCreate(args('late-key'), target());
    const usage = new ApiGatewayUsageKeys(fakeApiGateway().client, plans);

    const out = await partnerSetTier(['--id', 'late-key', '--tier', 'standard'], target(usage));

    expect(out.usage_plan_key_id).toBe('k-123');
    const item = await env.runtime.table.get(partnerKey('late-key'));
    expect(item).toMatchObject({ usage_key_id: 'k-123', usage_key_value: 'usage-value' });
  });

  it('answers not_found for a partner that does not exist', async () => {
    await expect(
      partnerSetTier(['--id', 'ghost', '--tier', 'premium'], target()),
    ).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });
});
