import type { SecretMetadata } from '../core/secrets.js';

/**
 * What the secrets routes answer about a secret: its metadata in the spec's field names. The
 * value, its ciphertext and anything derived from them are never part of it.
 */
export function secretBody(secret: SecretMetadata) {
  return {
    key: secret.key,
    description: secret.description,
    managed_by: secret.managedBy,
    created_at: secret.createdAt,
    updated_at: secret.updatedAt,
  };
}
