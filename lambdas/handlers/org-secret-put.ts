import { z } from 'zod';
import { putSecret } from '../core/secrets.js';
import { defineHandler, sessionOf } from '../http/define-handler.js';
import { parseBody, pathParameter } from '../http/request.js';
import { secretBody } from '../http/secret-api.js';

// Lengths and names are checked by putSecret, which answers with the secrets' own codes.
const bodySchema = z.object({
  value: z.string(),
  description: z.string().optional(),
});

/**
 * Creates or replaces a user-managed secret of the admin's organization. The route table lets
 * only admins in; a partner-managed secret of the same key is refused with 403.
 */
export const handler = defineHandler('org-secret-put', async (request) => {
  const session = sessionOf(request);
  const key = pathParameter(request, 'key');
  request.audit.detail({ secret_key: key, managed_by: 'user' });
  const body = parseBody(request.event, bodySchema);

  const secret = await putSecret(request.runtime, {
    partnerId: session.partnerId,
    organizationId: session.organizationId,
    key,
    value: body.value,
    description: body.description,
    managedBy: 'user',
    writer: { kind: 'user', userId: session.userId },
  });

  if (secret.createdAt === secret.updatedAt) request.audit.classify('secret_created');

  return { body: secretBody(secret) };
});
