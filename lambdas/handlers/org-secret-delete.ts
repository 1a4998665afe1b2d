import { deleteSecret } from '../core/secrets.js';
import { defineHandler, sessionOf } from '../http/define-handler.js';
import { pathParameter } from '../http/request.js';

/** Deletes a user-managed secret of the admin's organization; partner-managed ones are 403. */
export const handler = defineHandler('org-secret-delete', async (request) => {
  const session = sessionOf(request);
  const key = pathParameter(request, 'key');
  request.audit.detail({ secret_key: key });

  await deleteSecret(request.runtime.table, session.organizationId, key, { userOnly: true });

  return { status: 204 };
});
