import { listSecrets } from '../core/secrets.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';
import { secretBody } from '../http/secret-api.js';
import { partnerOrganizationId } from '../http/partner-scope.js';
import { pathParameter } from '../http/request.js';

/** Lists the metadata of an organization's secrets; values are never returned. */
export const handler = defineHandler('partner-secret-list', async (request) => {
  const { runtime } = request;
  const partner = partnerOf(request);
  const partnerOrgId = pathParameter(request, 'org_id');

  const organizationId = await partnerOrganizationId(
    runtime.table,
    partner.partnerId,
    partnerOrgId,
  );
  const secrets = await listSecrets(runtime.table, organizationId);

  return { body: secrets.map(secretBody) };
});
