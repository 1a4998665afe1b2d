import { deleteSecret } from '../core/secrets.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';
import { partnerOrganizationId, pathParameter } from '../http/secret-api.js';

/** Deletes a secret of one of the partner's organizations, whoever manages it. */
export const handler = defineHandler('partner-secret-delete', async (request) => {
  const { runtime } = request;
  const partner = partnerOf(request);
  const partnerOrgId = pathParameter(request, 'org_id');
  const key = pathParameter(request, 'key');

  const organizationId = await partnerOrganizationId(
    runtime.table,
    partner.partnerId,
    partnerOrgId,
  );
  await deleteSecret(runtime.table, organizationId, key, { userOnly: false });

  return { status: 204 };
});
