import type { ItemKey } from './ports.js';

/**
 * How every item is addressed. Tenant data lives in the partition of its organization, so a
 * query can never cross from one organization into another. Identifiers chosen by partners are
 * percent-encoded before they become part of a key, so none can contain the `#` separator and
 * reach into another partition or item family.
 */
export function encodeKeyPart(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16));
}

export const partnerKey = (partnerId: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: 'PROFILE',
});

export const signingKeyKey = (keyId: string): ItemKey => ({
  pk: `SIGNING_KEY#${keyId}`,
  sk: 'SIGNING_KEY',
});

/** Maps a partner's own organization id to ours; lives in the partner's partition. */
export const organizationRefKey = (partnerId: string, partnerOrgId: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: `ORG#${encodeKeyPart(partnerOrgId)}`,
});

export const ORGANIZATION_REF_PREFIX = 'ORG#';

export const organizationPartition = (organizationId: string): string => `ORG#${organizationId}`;

export const organizationKey = (organizationId: string): ItemKey => ({
  pk: organizationPartition(organizationId),
  sk: 'PROFILE',
});

/** Maps a partner's own user id to ours, inside the organization's partition. */
export const userRefKey = (organizationId: string, partnerUserId: string): ItemKey => ({
  pk: organizationPartition(organizationId),
  sk: `USERREF#${encodeKeyPart(partnerUserId)}`,
});

export const USER_PREFIX = 'USER#';

export const userKey = (organizationId: string, userId: string): ItemKey => ({
  pk: organizationPartition(organizationId),
  sk: `${USER_PREFIX}${userId}`,
});

export const SESSION_PREFIX = 'SESSION#';

export const sessionKey = (organizationId: string, sessionId: string): ItemKey => ({
  pk: organizationPartition(organizationId),
  sk: `${SESSION_PREFIX}${sessionId}`,
});

export const SECRET_PREFIX = 'SECRET#';

/** One organization secret, inside the organization's partition. */
export const secretItemKey = (organizationId: string, key: string): ItemKey => ({
  pk: organizationPartition(organizationId),
  sk: `${SECRET_PREFIX}${encodeKeyPart(key)}`,
});
