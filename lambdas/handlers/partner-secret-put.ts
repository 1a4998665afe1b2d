import { z } from 'zod';
import { MANAGED_BY } from '../config/secret-policy.js';
import { PARTNER_SUPPLIED_ID } from '../core/ids.js';
import { ensureOrganization } from '../core/organizations.js';
import { assertSecretInput, putSecret } from '../core/secrets.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';
import { parseBody } from '../http/request.js';
import { secretBody } from '../http/secret-api.js';

// Lengths and names are checked by assertSecretInput, which answers with the secrets' own codes.
const bodySchema = z.object({
  org_id: z.string().regex(PARTNER_SUPPLIED_ID),
  key: z.string(),
  value: z.string(),
  description: z.string().optional(),
  managed_by: z.enum(MANAGED_BY).default('partner'),
});

/** Creates or replaces a secret of one of the partner's organizations, creating it if new. */
export const handler = defineHandler('partner-secret-put', async (request) => {
  const { runtime, audit } = request;
  const partner = partnerOf(request);
  const body = parseBody(request.event, bodySchema);
  audit.identify({ orgId: body.org_id });
  audit.detail({ secret_key: body.key, managed_by: body.managed_by });
  assertSecretInput(body);

  const organization = await ensureOrganization(
    runtime.table,
    runtime.clock,
    partner.partnerId,
    body.org_id,
  );
  audit.identify({ organizationId: organization.organizationId });
  const secret = await putSecret(runtime, {
    partnerId: partner.partnerId,
    organizationId: organization.organizationId,
    key: body.key,
    value: body.value,
    description: body.description,
    managedBy: body.managed_by,
    writer: { kind: 'partner', keyPrefix: partner.keyPrefix },
  });

  if (secret.createdAt === secret.updatedAt) audit.classify('secret_created');

  return { body: { org_id: body.org_id, ...secretBody(secret) } };
});
