import type { AuditLog, AuditSigner } from '../core/audit.js';
import type { RateLimits } from '../config/rate-limits.js';
import type { Clock, SessionKeyStore, Table } from '../core/ports.js';
import type { SecretCipher } from '../core/secret-cipher.js';

/**
 * Everything a handler needs from the outside world, built once per container. In AWS it is
 * built from the environment on first use; the local twin and the tests install their own.
 */
export interface Runtime {
  readonly table: Table;
  readonly sessionKeys: SessionKeyStore;
  readonly clock: Clock;
  readonly auditLog: AuditLog;
  readonly auditSigner: AuditSigner;
  /** Encrypts organization secrets; decrypts them only where an agent runs. */
  readonly secretCipher: SecretCipher;
  /** Limits the handlers enforce: the spec's in Lambda; the twin and tests may relax them. */
  readonly rateLimits: RateLimits;
}

let installed: Runtime | undefined;
let fromEnvironment: Promise<Runtime> | undefined;

/** Installs the runtime every handler in this process uses (the local twin, the tests). */
export function installRuntime(runtime: Runtime): void {
  installed = runtime;
}

export async function getRuntime(): Promise<Runtime> {
  if (installed) return installed;

  // Imported lazily so the local twin never loads the AWS wiring it does not use.
  fromEnvironment ??= import('./aws-runtime.js').then((module) => module.createAwsRuntime());
  return fromEnvironment;
}
