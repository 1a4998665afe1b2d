import { randomBytes } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { logger } from '../http/logger.js';

interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

const client = new SecretsManagerClient({});

/**
 * Rotates the session signing key. The key is only used by this platform, so there is no
 * outside system to set or test: a new random value is staged, then promoted to AWSCURRENT.
 * Secrets Manager keeps the old value as AWSPREVIOUS, which handlers still accept for
 * verification, so sessions survive the rotation.
 */
export async function handler(event: RotationEvent): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  logger.info('rotation step', { step });

  if (step === 'createSecret') await createPending(secretId, token);
  if (step === 'finishSecret') await promote(secretId, token);
}

async function createPending(secretId: string, token: string): Promise<void> {
  try {
    await client.send(
      new GetSecretValueCommand({
        SecretId: secretId,
        VersionId: token,
        VersionStage: 'AWSPENDING',
      }),
    );
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }

  await client.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: randomBytes(48).toString('base64url'),
      VersionStages: ['AWSPENDING'],
    }),
  );
}

async function promote(secretId: string, token: string): Promise<void> {
  const description = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  const stages = description.VersionIdsToStages ?? {};
  const current = Object.keys(stages).find((id) => stages[id]?.includes('AWSCURRENT'));
  if (current === token) return;

  await client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      RemoveFromVersionId: current,
    }),
  );
}
