import { SECRET_POLICY, type ManagedBy } from '../config/secret-policy.js';
import { AppError, ConditionFailedError } from './errors.js';
import { SECRET_PREFIX, organizationPartition, secretItemKey } from './keys.js';
import type { Clock, Item, Table } from './ports.js';
import type { SecretCipher } from './secret-cipher.js';

/** What the secrets domain needs from the runtime. */
export interface SecretDeps {
  readonly table: Table;
  readonly clock: Clock;
  readonly secretCipher: SecretCipher;
}

/** A secret as anyone outside the backend may see it: everything but the value. */
export interface SecretMetadata {
  readonly key: string;
  readonly description: string;
  readonly managedBy: ManagedBy;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Who wrote a secret: a partner's backend (by key prefix) or an organization's admin. */
export type SecretWriter =
  | { readonly kind: 'partner'; readonly keyPrefix: string }
  | { readonly kind: 'user'; readonly userId: string };

export interface SecretInput {
  readonly partnerId: string;
  readonly organizationId: string;
  readonly key: string;
  readonly value: string;
  readonly description?: string;
  readonly managedBy: ManagedBy;
  readonly writer: SecretWriter;
}

/** How often a user's write is retried when a concurrent write changed the secret first. */
const USER_WRITE_ATTEMPTS = 3;

/**
 * Creates or replaces a secret. Limits are checked before anything is encrypted. A partner may
 * write any secret of its organizations; a user may write only user-managed ones, and a
 * conditional write makes sure a partner-managed secret created meanwhile is not overwritten.
 */
export async function putSecret(deps: SecretDeps, input: SecretInput): Promise<SecretMetadata> {
  assertSecretInput(input);
  if (input.writer.kind === 'user' && input.managedBy !== 'user') {
    throw managedByPartner();
  }

  const key = secretItemKey(input.organizationId, input.key);
  const encrypt = () =>
    deps.secretCipher.encrypt(input.value, {
      partnerId: input.partnerId,
      organizationId: input.organizationId,
      secretKey: input.key,
    });

  if (input.writer.kind === 'partner') {
    const update = secretUpdate(input, await encrypt(), deps.clock);
    return toMetadata(await deps.table.update(key, update));
  }

  let ciphertext: Uint8Array | undefined;
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.table.get(key);
    if (current?.managed_by === 'partner') throw managedByPartner();

    ciphertext ??= await encrypt();
    const expect = { managed_by: current ? 'user' : undefined };
    try {
      const update = secretUpdate(input, ciphertext, deps.clock);
      return toMetadata(await deps.table.update(key, { ...update, expect }));
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      if (attempt >= USER_WRITE_ATTEMPTS) {
        throw new AppError('conflict', 'The secret kept changing during the write; try again');
      }
    }
  }
}

/** The write of one secret: new value and metadata, with creation facts kept from before. */
function secretUpdate(input: SecretInput, ciphertext: Uint8Array, clock: Clock) {
  const now = new Date(clock.now()).toISOString();
  const writer =
    input.writer.kind === 'partner'
      ? `partner:${input.writer.keyPrefix}`
      : `user:${input.writer.userId}`;

  return {
    set: {
      ciphertext,
      description: input.description ?? '',
      managed_by: input.managedBy,
      updated_at: now,
      updated_by: writer,
    },
    setIfMissing: {
      secret_key: input.key,
      organization_id: input.organizationId,
      partner_id: input.partnerId,
      created_at: now,
      created_by: writer,
    },
  };
}

/** Every secret of an organization, metadata only, in key order. */
export async function listSecrets(table: Table, organizationId: string): Promise<SecretMetadata[]> {
  return (await readSecretItems(table, organizationId)).map(toMetadata);
}

/**
 * Deletes a secret; 404 when there is none by that name. With `userOnly` (a dashboard user) a
 * partner-managed secret is refused with 403, checked in the same conditional delete.
 */
export async function deleteSecret(
  table: Table,
  organizationId: string,
  secretKey: string,
  options: { readonly userOnly: boolean },
): Promise<void> {
  assertSecretKey(secretKey);
  const key = secretItemKey(organizationId, secretKey);

  try {
    await table.delete(key, { expect: options.userOnly ? { managed_by: 'user' } : { sk: key.sk } });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const current = await table.get(key);
    if (current?.managed_by === 'partner') throw managedByPartner();
    throw secretNotFound();
  }
}

/**
 * The stored items of an organization's secrets, ciphertext included, every page of them. For
 * the backend only: nothing read here may be returned to a caller but through toMetadata.
 */
export async function readSecretItems(table: Table, organizationId: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;

  do {
    const page = await table.query({
      pk: organizationPartition(organizationId),
      skPrefix: SECRET_PREFIX,
      cursor,
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** Checks a secret's name, value size and description against the documented limits. */
export function assertSecretInput(input: Pick<SecretInput, 'key' | 'value' | 'description'>): void {
  assertSecretKey(input.key);
  assertValue(input.value);
  assertDescription(input.description);
}

/** Refuses a secret name that does not match the documented pattern. */
export function assertSecretKey(key: string): void {
  if (!SECRET_POLICY.keyPattern.test(key)) {
    throw new AppError(
      'invalid_secret_key',
      'Secret keys start with an upper-case letter and contain only A-Z, 0-9 and _ ' +
        '(at most 128 characters)',
    );
  }
}

function assertValue(value: string): void {
  if (Buffer.byteLength(value, 'utf8') > SECRET_POLICY.maxValueBytes) {
    throw new AppError(
      'secret_value_too_large',
      `Secret values are limited to ${SECRET_POLICY.maxValueBytes} bytes`,
    );
  }
  if (value.length === 0) {
    throw new AppError('validation_failed', "Invalid field 'value': it must not be empty");
  }
}

function assertDescription(description: string | undefined): void {
  if (description !== undefined && description.length > SECRET_POLICY.maxDescriptionChars) {
    throw new AppError(
      'validation_failed',
      `Invalid field 'description': at most ${SECRET_POLICY.maxDescriptionChars} characters`,
    );
  }
}

export function secretNotFound(): AppError {
  return new AppError('not_found', 'No secret by that key in this organization');
}

function managedByPartner(): AppError {
  return new AppError(
    'secret_managed_by_partner',
    'This secret is managed by the partner; only the partner can change or delete it',
  );
}

function toMetadata(item: Record<string, unknown>): SecretMetadata {
  return {
    key: item.secret_key as string,
    description: (item.description as string | undefined) ?? '',
    managedBy: item.managed_by as ManagedBy,
    createdAt: item.created_at as string,
    updatedAt: item.updated_at as string,
  };
}
