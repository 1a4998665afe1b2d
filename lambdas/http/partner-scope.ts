import { AppError } from '../core/errors.js';
import { PARTNER_SUPPLIED_ID } from '../core/ids.js';
import { userRefKey } from '../core/keys.js';
import { findOrganizationId } from '../core/organizations.js';
import type { Table } from '../core/ports.js';

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
 * Our id of a user a partner names by its own user id, inside one of its organizations. A user
 * that does not exist, or is malformed, gets the same 404.
 */
export async function partnerUserId(
  table: Table,
  organizationId: string,
  partnerUserIdValue: string,
): Promise<string> {
  const ref = PARTNER_SUPPLIED_ID.test(partnerUserIdValue)
    ? await table.get(userRefKey(organizationId, partnerUserIdValue))
    : undefined;
  if (typeof ref?.target_id !== 'string') throw new AppError('not_found', 'No user by that id');
  return ref.target_id;
}
