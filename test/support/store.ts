import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSessionKeys } from '../../lambdas/adapters/file-session-keys.js';
import { DynamoAuditLog } from '../../lambdas/adapters/dynamo-audit-log.js';
import { DynamoTable } from '../../lambdas/adapters/dynamo-table.js';
import { FileAuditSigner } from '../../lambdas/adapters/file-audit-signer.js';
import { FileKeySecretCipher } from '../../lambdas/adapters/file-key-secret-cipher.js';
import { SPEC_RATE_LIMITS, type RateLimits } from '../../lambdas/config/rate-limits.js';
import { AUDIT_TABLE, PLATFORM_TABLE } from '../../lambdas/config/table-schema.js';
import type { Runtime } from '../../lambdas/runtime/runtime.js';
import { localDynamoConfig, openLocalStore, type LocalStore } from '../../local/store.js';
import { TestClock } from './clock.js';

export interface TestEnvironment {
  readonly dataDir: string;
  readonly store: LocalStore;
  readonly clock: TestClock;
  readonly runtime: Runtime;
  dispose(): Promise<void>;
}

export interface TestEnvironmentOptions {
  /**
   * Limits the runtime enforces. Suites log in many times from one address, so by default the
   * per-IP embed-auth limit is far above anything a suite does; pass SPEC_RATE_LIMITS to test
   * the real figure. @default { embedAuthPerMinute: 1_000_000 }
   */
  readonly rateLimits?: RateLimits;
}

/** The test runtime's default limits: the spec's, with the per-IP login limit out of the way. */
export const RELAXED_RATE_LIMITS: RateLimits = { ...SPEC_RATE_LIMITS, embedAuthPerMinute: 1e6 };

/**
 * A real DynamoDB API (dynalite, in-process) in a fresh folder, with the tables the platform
 * uses, and a runtime over it whose clock the test controls.
 */
export async function createTestEnvironment(
  options: TestEnvironmentOptions = {},
): Promise<TestEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-test-'));
  const store = await openLocalStore(dataDir);
  const clock = new TestClock();

  const runtime: Runtime = {
    table: new DynamoTable(PLATFORM_TABLE.localName, localDynamoConfig(store.endpoint)),
    sessionKeys: new FileSessionKeys(join(dataDir, 'session-signing-key.json')),
    clock,
    auditLog: new DynamoAuditLog(AUDIT_TABLE.localName, localDynamoConfig(store.endpoint)),
    auditSigner: new FileAuditSigner(join(dataDir, 'audit-signing-key.pem')),
    secretCipher: new FileKeySecretCipher(join(dataDir, 'secrets-key')),
    rateLimits: options.rateLimits ?? RELAXED_RATE_LIMITS,
  };

  return {
    dataDir,
    store,
    clock,
    runtime,
    dispose: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
