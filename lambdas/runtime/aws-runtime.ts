import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoAuditLog } from '../adapters/dynamo-audit-log.js';
import { DynamoTable } from '../adapters/dynamo-table.js';
import { KmsAuditSigner } from '../adapters/kms-audit-signer.js';
import { KmsSecretCipher } from '../adapters/kms-secret-cipher.js';
import { SecretsManagerSessionKeys } from '../adapters/secrets-manager-session-keys.js';
import { ENV } from '../config/env-names.js';
import { SPEC_RATE_LIMITS } from '../config/rate-limits.js';
import { requireEnv } from '../config/env.js';
import { systemClock } from '../core/ports.js';
import type { Runtime } from './runtime.js';

/**
 * The runtime inside Lambda. Each client is created on first use and kept for the container's
 * life; a function is only configured (and granted) for what its route needs, so a client it
 * never uses must not demand configuration.
 */
export function createAwsRuntime(): Runtime {
  let table: DynamoTable | undefined;
  let sessionKeys: SecretsManagerSessionKeys | undefined;
  let auditLog: DynamoAuditLog | undefined;
  let auditSigner: KmsAuditSigner | undefined;
  let secretCipher: KmsSecretCipher | undefined;

  return {
    get table() {
      table ??= new DynamoTable(requireEnv(ENV.tableName));
      return table;
    },
    get sessionKeys() {
      sessionKeys ??= new SecretsManagerSessionKeys(
        new SecretsManagerClient({}),
        requireEnv(ENV.sessionSecretArn),
      );
      return sessionKeys;
    },
    get auditLog() {
      auditLog ??= new DynamoAuditLog(requireEnv(ENV.auditTableName));
      return auditLog;
    },
    get auditSigner() {
      auditSigner ??= new KmsAuditSigner(requireEnv(ENV.auditSigningKeyArn));
      return auditSigner;
    },
    get secretCipher() {
      secretCipher ??= new KmsSecretCipher(new KMSClient({}), requireEnv(ENV.secretsKeyArn));
      return secretCipher;
    },
    clock: systemClock,
    rateLimits: SPEC_RATE_LIMITS,
  };
}
