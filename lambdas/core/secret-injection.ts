import { AppError } from './errors.js';
import { getOrganization } from './organizations.js';
import type { Table } from './ports.js';
import type { SecretCipher } from './secret-cipher.js';
import { readSecretItems } from './secrets.js';

/** What injection needs: the table and a cipher allowed to decrypt (an agent runtime's role). */
export interface InjectionDeps {
  readonly table: Table;
  readonly secretCipher: SecretCipher;
}

/** The decrypted secrets of one organization, by key, for one agent execution. */
export type SecretValues = ReadonlyMap<string, string>;

/**
 * Decrypts an organization's secrets for one agent execution and hands them to `execute` as an
 * in-memory map (spec 4.4). Nothing is cached between executions, written anywhere or logged:
 * the map exists only for the duration of `execute` and is emptied as soon as it settles, so
 * an execution that keeps a reference to it afterwards finds it empty.
 *
 * Every ciphertext is decrypted under the context of the organization it is read from, with the
 * partner taken from the organization's own record; a ciphertext moved in from elsewhere fails
 * with SecretDecryptionError (naming the key, never a value) and the execution does not start.
 *
 * @example
 * const answer = await withOrganizationSecrets(runtime, organizationId, async (secrets) =>
 *   runAgent({ openAiKey: secrets.get('OPENAI_API_KEY') }),
 * );
 */
export async function withOrganizationSecrets<T>(
  deps: InjectionDeps,
  organizationId: string,
  execute: (secrets: SecretValues) => Promise<T>,
): Promise<T> {
  const organization = await getOrganization(deps.table, organizationId);
  if (!organization) throw new AppError('not_found', 'No such organization');

  const items = await readSecretItems(deps.table, organizationId);
  const values = new Map<string, string>();
  try {
    for (const item of items) {
      const secretKey = item.secret_key as string;
      const context = { partnerId: organization.partnerId, organizationId, secretKey };
      values.set(
        secretKey,
        await deps.secretCipher.decrypt(item.ciphertext as Uint8Array, context),
      );
    }
    return await execute(values);
  } finally {
    values.clear();
  }
}
