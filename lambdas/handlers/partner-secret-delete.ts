import { deleteSecret } from '../core/secrets.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';
import { partnerOrganizationId } from '../http/partner-scope.js';
import { pathParameter } from '../http/request.js';

/** Deletes a secret of one of the partner's organizations, whoever manages it. */
export const handler = defineHandler('partner-secret-delete', async (request) => {
  const { runtime, audit } = request;
  const partner = partnerOf(request);
  const partnerOrgId = pathParameter(request, 'org_id');
  const key = pathParameter(request, 'key');
  audit.identify({ orgId: partnerOrgId });
  audit.detail({ secret_key: key });

  const organizationId = await partnerOrganizationId(
    runtime.table,
    partner.partnerId,
    partnerOrgId,
  );
  audit.identify({ organizationId });
  await deleteSecret(runtime.table, organizationId, key, { userOnly: false });

  return { status: 204 };
});
