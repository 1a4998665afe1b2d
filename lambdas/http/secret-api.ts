import { AppError } from '../core/errors.js';
import { PARTNER_SUPPLIED_ID } from '../core/ids.js';
import { findOrganizationId } from '../core/organizations.js';
import type { Table } from '../core/ports.js';
import type { SecretMetadata } from '../core/secrets.js';
import type { RouteRequest } from './define-handler.js';

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

/**
 * Our id of the organization a partner names in a path. One that does not exist, is malformed,
 * or belongs to another partner gets the same 404, so org ids cannot be probed across partners.
 */
export async function partnerOrganizationId(
  table: Table,
  partnerId: string,
  partnerOrgId: string,
): Promise<string> {
  const organizationId = PARTNER_SUPPLIED_ID.test(partnerOrgId)
    ? await findOrganizationId(table, partnerId, partnerOrgId)
    : undefined;
  if (!organizationId) throw new AppError('not_found', 'No organization by that id');
  return organizationId;
}

/**
 * A path parameter API Gateway guarantees by the route's path template, percent-decoded once.
 * A value that does not decode is answered like any other malformed id.
 */
export function pathParameter(request: RouteRequest, name: string): string {
  const raw = request.event.pathParameters?.[name];
  let value: string | undefined;
  try {
    value = raw === undefined ? undefined : decodeURIComponent(raw);
  } catch {
    value = undefined;
  }
  if (value === undefined || value === '') {
    throw new AppError('invalid_request', `The path needs a valid ${name}`);
  }
  return value;
}
