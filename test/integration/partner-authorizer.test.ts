import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lambdas/core/api-keys.js';
import type { Table } from '../../lambdas/core/ports.js';
import { assignTier } from '../../lambdas/core/usage-keys.js';
import { handler as authorize } from '../../lambdas/handlers/partner-authorizer.js';
import { installRuntime } from '../../lambdas/runtime/runtime.js';
import { onboardPartner } from '../support/partners.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;

const METHOD_ARN = 'arn:aws:execute-api:eu-north-1:123456789012:abc123/prod/GET/api/v1/partner/x';

const authorizerEvent = (authorization?: string) =>
  ({
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    headers: authorization ? { Authorization: authorization } : {},
  }) as unknown as APIGatewayRequestAuthorizerEvent;

beforeAll(async () => {
  env = await createTestEnvironment();
  installRuntime(env.runtime);
});

afterAll(() => env.dispose());

describe('the partner key authorizer', () => {
  it('allows the stage, names the partner and returns its usage-plan key', async () => {
    await onboardPartner(env.runtime, 'metered');
    await assignTier(env.runtime.table, 'metered', 'premium', {
      create: async () => ({ keyId: 'key-id', value: 'usage-key-value' }),
      move: async () => undefined,
    });
    const { apiKey, prefix } = await issueApiKey(env.runtime.table, env.clock, 'metered');

    const result = await authorize(authorizerEvent(`Bearer ${apiKey}`));

    expect(result.principalId).toBe('metered');
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-north-1:123456789012:abc123/prod/*/*',
      },
    ]);
    expect(result.context).toEqual({ partner_id: 'metered', key_prefix: prefix, tier: 'premium' });
    expect(result.usageIdentifierKey).toBe('usage-key-value');
  });

  it('returns no usage-plan key for a partner that has none', async () => {
    await onboardPartner(env.runtime, 'unmetered');
    const { apiKey } = await issueApiKey(env.runtime.table, env.clock, 'unmetered');

    const result = await authorize(authorizerEvent(`Bearer ${apiKey}`));

    expect(result.usageIdentifierKey).toBeUndefined();
    expect(result.context?.tier).toBe('standard');
  });

  it("answers API Gateway's Unauthorized for a bad or missing key", async () => {
    await expect(authorize(authorizerEvent(`Bearer pk_metered_${'x'.repeat(43)}`))).rejects.toThrow(
      /^Unauthorized$/,
    );
    await expect(authorize(authorizerEvent())).rejects.toThrow(/^Unauthorized$/);
  });

  it('lets a store failure reach API Gateway as a 5xx, not a 401', async () => {
    const broken: Table = {
      ...env.runtime.table,
      get: async () => {
        throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      },
    };
    installRuntime({ ...env.runtime, table: broken });

    try {
      const error = await authorize(authorizerEvent(`Bearer pk_metered_${'x'.repeat(43)}`)).catch(
        (e: Error) => e,
      );
      expect((error as Error).message).not.toBe('Unauthorized');
      expect((error as Error).name).toBe('ThrottlingException');
    } finally {
      installRuntime(env.runtime);
    }
  });
});
