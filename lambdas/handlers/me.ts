import { AppError } from '../core/errors.js';
import { getOrganization, getUser } from '../core/organizations.js';
import { defineHandler, sessionOf } from '../http/define-handler.js';

export const handler = defineHandler('me', async (request) => {
  const { runtime } = request;
  const session = sessionOf(request);

  const { organizationId, userId } = session;

  const [user, organization] = await Promise.all([
    getUser(runtime.table, organizationId, userId),
    getOrganization(runtime.table, organizationId),
  ]);
  if (!user || !organization) throw new AppError('invalid_access_token', 'The user is gone');

  return {
    body: {
      user: {
        user_id: user.userId,
        partner_user_id: user.partnerUserId,
        email: user.email,
        name: user.name,
        role: session.role,
      },
      organization: {
        organization_id: organization.organizationId,
        partner_org_id: organization.partnerOrgId,
        name: organization.name,
        retention_days: organization.retentionDays,
      },
    },
  };
});
