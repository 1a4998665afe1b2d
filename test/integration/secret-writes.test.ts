import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretItemKey } from '../../lambdas/core/keys.js';
import type { ItemKey, Table, UpdateOptions } from '../../lambdas/core/ports.js';
import { putSecret, type SecretInput } from '../../lambdas/core/secrets.js';
import { createTestEnvironment, type TestEnvironment } from '../support/store.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});

afterAll(() => env.dispose());

/** The real table, with a hook that runs another writer just before each update. */
function racingTable(before: (key: ItemKey) => Promise<void>): Table {
  const table = env.runtime.table;
  return Object.assign(Object.create(table) as Table, {
    update: async (key: ItemKey, options: UpdateOptions) => {
      await before(key);
      return table.update(key, options);
    },
  });
}

const input = (organizationId: string, overrides: Partial<SecretInput> = {}): SecretInput => ({
  partnerId: 'acme',
  organizationId,
  key: 'RACED_KEY',
  value: 'sk_live_user_value',
  managedBy: 'user',
  writer: { kind: 'user', userId: 'user-1' },
  ...overrides,
});

describe('a user write racing a partner write', () => {
  it('refuses the user with 403 when a partner-managed secret appears first', async () => {
    const deps = {
      ...env.runtime,
      table: racingTable(async () => {
        await putSecret(
          env.runtime,
          input('org-race-1', {
            value: 'sk_live_partner_value',
            managedBy: 'partner',
            writer: { kind: 'partner', keyPrefix: 'pk_acme_abc' },
          }),
        );
      }),
    };

    const write = putSecret(deps, input('org-race-1'));

    await expect(write).rejects.toMatchObject({ code: 'secret_managed_by_partner', status: 403 });
    const item = await env.runtime.table.get(secretItemKey('org-race-1', 'RACED_KEY'));
    expect(item).toMatchObject({ managed_by: 'partner', updated_by: 'partner:pk_acme_abc' });
  });

  it('gives up with 409 conflict when the secret changes under every attempt', async () => {
    const table = env.runtime.table;
    const deps = {
      ...env.runtime,
      table: racingTable(async (key) => {
        if (await table.get(key)) await table.delete(key);
        else await table.put({ ...key, managed_by: 'user' });
      }),
    };

    const write = putSecret(deps, input('org-race-2'));

    await expect(write).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });
});
