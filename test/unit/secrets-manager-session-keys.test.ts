import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecretsManagerSessionKeys } from '../../lambdas/adapters/secrets-manager-session-keys.js';

/** Secrets Manager cannot run here: a fake client at the adapter boundary serves two versions. */
function fakeClient(versions: Record<string, { id: string; value: string }>) {
  const calls: string[] = [];
  const client = {
    send: async (command: { input: { VersionStage: string } }) => {
      const stage = command.input.VersionStage;
      calls.push(stage);
      const version = versions[stage];
      if (!version) throw Object.assign(new Error('none'), { name: 'ResourceNotFoundException' });
      return { VersionId: version.id, SecretString: version.value };
    },
  };
  return { client: client as unknown as SecretsManagerClient, calls };
}

afterEach(() => vi.useRealTimers());

describe('SecretsManagerSessionKeys', () => {
  const versions = {
    AWSCURRENT: { id: 'v2', value: 'current-secret' },
    AWSPREVIOUS: { id: 'v1', value: 'previous-secret' },
  };

  it('signs with the current version and verifies with current and previous', async () => {
    const keys = new SecretsManagerSessionKeys(fakeClient(versions).client, 'arn');

    expect((await keys.current()).keyId).toBe('v2');
    expect(await keys.find('v1')).toMatchObject({ keyId: 'v1' });
    expect(await keys.find('v2')).toMatchObject({ keyId: 'v2' });
  });

  it('works before the first rotation, when there is no previous version', async () => {
    const keys = new SecretsManagerSessionKeys(
      fakeClient({ AWSCURRENT: versions.AWSCURRENT }).client,
      'arn',
    );

    expect((await keys.current()).keyId).toBe('v2');
    expect(await keys.find('v1')).toBeUndefined();
  });

  it('does not let unknown key ids from forged tokens drive reads of the secret', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const { client, calls } = fakeClient(versions);
    const keys = new SecretsManagerSessionKeys(client, 'arn');
    await keys.current();

    for (let i = 0; i < 50; i += 1) await keys.find(`forged-${i}`);
    expect(calls).toHaveLength(2);

    vi.advanceTimersByTime(31_000);
    await keys.find('forged-late');
    expect(calls).toHaveLength(4);
  });
});
