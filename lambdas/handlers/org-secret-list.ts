import { listSecrets } from '../core/secrets.js';
import { defineHandler, sessionOf } from '../http/define-handler.js';
import { secretBody } from '../http/secret-api.js';

/** Lists the metadata of the signed-in user's organization's secrets, for any role. */
export const handler = defineHandler('org-secret-list', async (request) => {
  const session = sessionOf(request);

  const secrets = await listSecrets(request.runtime.table, session.organizationId);

  return { body: secrets.map(secretBody) };
});
