import { join } from 'node:path';
import { DynamoAuditLog } from '../lambdas/adapters/dynamo-audit-log.js';
import { DynamoTable } from '../lambdas/adapters/dynamo-table.js';
import { FileAuditSigner } from '../lambdas/adapters/file-audit-signer.js';
import { FileKeySecretCipher } from '../lambdas/adapters/file-key-secret-cipher.js';
import { FileSessionKeys } from '../lambdas/adapters/file-session-keys.js';
import type { RateLimits } from '../lambdas/config/rate-limits.js';
import { AUDIT_TABLE, PLATFORM_TABLE } from '../lambdas/config/table-schema.js';
import { systemClock, type Clock } from '../lambdas/core/ports.js';
import type { Runtime } from '../lambdas/runtime/runtime.js';
import { localRateLimits } from './rate-limit-override.js';
import { localDynamoConfig } from './store.js';

/**
 * The same runtime the handlers get in Lambda, over local parts: dynalite for DynamoDB and key
 * files in the data folder for what AWS keeps in Secrets Manager and KMS.
 */
export function createLocalRuntime(
  dataDir: string,
  storeEndpoint: string,
  clock: Clock = systemClock,
  rateLimits: RateLimits = localRateLimits(),
): Runtime {
  const secretCipher = new FileKeySecretCipher(join(dataDir, 'secrets-key'));
  secretCipher.prepare();

  return {
    table: new DynamoTable(PLATFORM_TABLE.localName, localDynamoConfig(storeEndpoint)),
    sessionKeys: new FileSessionKeys(join(dataDir, 'session-signing-key.json')),
    clock,
    auditLog: new DynamoAuditLog(AUDIT_TABLE.localName, localDynamoConfig(storeEndpoint)),
    auditSigner: new FileAuditSigner(auditSigningKeyPath(dataDir)),
    secretCipher,
    rateLimits,
  };
}

/** The twin's audit seal signing key, beside its other key files. */
export const auditSigningKeyPath = (dataDir: string): string =>
  join(dataDir, 'audit-signing-key.pem');
