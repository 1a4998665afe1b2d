import { ConditionFailedError } from './errors.js';
import type { EmbedClaims, Role } from './embed-token.js';
import { newId } from './ids.js';
import { organizationKey, organizationRefKey, userKey, userRefKey } from './keys.js';
import type { Clock, ItemKey, Table } from './ports.js';

/** Retention of agent runs and their artefacts when a partner has not chosen one. */
export const DEFAULT_RETENTION_DAYS = 30;

export interface Organization {
  readonly organizationId: string;
  readonly partnerId: string;
  readonly partnerOrgId: string;
  readonly name: string;
  readonly retentionDays: number;
  readonly createdAt: string;
}

export interface User {
  readonly userId: string;
  readonly organizationId: string;
  readonly partnerUserId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
}

/**
 * Finds the organization and user an embed token speaks for, creating them on first sight and
 * bringing their profile up to date on later logins. Our ids are random; the partner's ids are
 * only ever looked up through reference items in the partner's (or organization's) partition.
 */
export async function upsertMember(
  table: Table,
  clock: Clock,
  partnerId: string,
  claims: EmbedClaims,
): Promise<{ organization: Organization; user: User; isNewUser: boolean }> {
  const now = new Date(clock.now()).toISOString();
  const organization = await ensureOrganization(
    table,
    clock,
    partnerId,
    claims.org_id,
    claims.org_name,
  );
  const { organizationId } = organization;

  const userRef = userRefKey(organizationId, claims.user_id);
  const { id: userId, created } = await resolveReference(table, userRef, {});
  const user = await table.update(userKey(organizationId, userId), {
    set: { email: claims.email, name: claims.name, role: claims.role, updated_at: now },
    setIfMissing: {
      user_id: userId,
      organization_id: organizationId,
      partner_user_id: claims.user_id,
      created_at: now,
    },
  });

  return {
    organization,
    user: toUser(user),
    isNewUser: created,
  };
}

/**
 * Finds the organization a partner calls `partnerOrgId`, creating it on first sight, so a
 * partner can provision an organization (its secrets, say) before any of its users has logged
 * in. A given name replaces the stored one; without one, a new organization is named by the
 * partner's id and an existing one keeps its name.
 */
export async function ensureOrganization(
  table: Table,
  clock: Clock,
  partnerId: string,
  partnerOrgId: string,
  name?: string,
): Promise<Organization> {
  const now = new Date(clock.now()).toISOString();

  const orgRef = organizationRefKey(partnerId, partnerOrgId);
  const { id: organizationId } = await resolveReference(table, orgRef, { partner_id: partnerId });
  const item = await table.update(organizationKey(organizationId), {
    set: { name, updated_at: now },
    setIfMissing: {
      organization_id: organizationId,
      partner_id: partnerId,
      partner_org_id: partnerOrgId,
      name: name === undefined ? partnerOrgId : undefined,
      retention_days: DEFAULT_RETENTION_DAYS,
      created_at: now,
    },
  });
  return toOrganization(item);
}

/**
 * Our id of the organization a partner calls `partnerOrgId`, or undefined when that partner has
 * none by that name. The reference lives in the partner's own partition, so another partner's
 * organization is as absent as one that was never created.
 */
export async function findOrganizationId(
  table: Table,
  partnerId: string,
  partnerOrgId: string,
): Promise<string | undefined> {
  const ref = await table.get(organizationRefKey(partnerId, partnerOrgId));
  return typeof ref?.target_id === 'string' ? ref.target_id : undefined;
}

export async function getOrganization(
  table: Table,
  organizationId: string,
): Promise<Organization | undefined> {
  const item = await table.get(organizationKey(organizationId));
  return item ? toOrganization(item) : undefined;
}

export async function getUser(
  table: Table,
  organizationId: string,
  userId: string,
): Promise<User | undefined> {
  const item = await table.get(userKey(organizationId, userId));
  return item ? toUser(item) : undefined;
}

/**
 * Reads the id a reference item points at, or claims the reference with a fresh id. Two
 * concurrent first logins race on a conditional put; the loser reads the winner's id.
 */
async function resolveReference(
  table: Table,
  key: ItemKey,
  extra: Record<string, unknown>,
): Promise<{ id: string; created: boolean }> {
  const existing = await table.get(key);
  if (existing) return { id: existing.target_id as string, created: false };

  const id = newId();
  try {
    await table.put({ ...key, ...extra, target_id: id }, { onlyIfAbsent: true });
    return { id, created: true };
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const winner = await table.get(key);
    return { id: winner?.target_id as string, created: false };
  }
}

function toOrganization(item: Record<string, unknown>): Organization {
  return {
    organizationId: item.organization_id as string,
    partnerId: item.partner_id as string,
    partnerOrgId: item.partner_org_id as string,
    name: item.name as string,
    retentionDays: item.retention_days as number,
    createdAt: item.created_at as string,
  };
}

function toUser(item: Record<string, unknown>): User {
  return {
    userId: item.user_id as string,
    organizationId: item.organization_id as string,
    partnerUserId: item.partner_user_id as string,
    email: item.email as string,
    name: item.name as string,
    role: item.role as Role,
    createdAt: item.created_at as string,
  };
}
