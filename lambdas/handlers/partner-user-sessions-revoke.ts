import { revokeUserSessions } from '../core/user-standing.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';
import { partnerOrganizationId, partnerUserId } from '../http/partner-scope.js';
import { pathParameter } from '../http/request.js';

/**
 * Ends every session of one user immediately: their access and refresh tokens fail on the next
 * request. Signing them in again needs a fresh embed token, so a partner revokes a user by
 * calling this and no longer issuing tokens for them.
 */
export const handler = defineHandler('partner-user-sessions-revoke', async (request) => {
  const { runtime, audit } = request;
  const { partnerId } = partnerOf(request);
  const partnerOrgId = pathParameter(request, 'org_id');
  const partnerUser = pathParameter(request, 'user_id');
  audit.identify({ orgId: partnerOrgId, userId: partnerUser });

  const organizationId = await partnerOrganizationId(runtime.table, partnerId, partnerOrgId);
  const userId = await partnerUserId(runtime.table, organizationId, partnerUser);
  audit.identify({ organizationId });
  await revokeUserSessions(runtime.table, runtime.clock, organizationId, userId);

  return { status: 204 };
});
