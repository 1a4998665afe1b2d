import { z } from 'zod';
import { refreshSession } from '../core/sessions.js';
import { defineHandler } from '../http/define-handler.js';
import { parseBody } from '../http/request.js';

const bodySchema = z.object({ refresh_token: z.string().min(1).max(512) });

export const handler = defineHandler('embed-refresh', async ({ event, runtime, audit }) => {
  const { refresh_token } = parseBody(event, bodySchema);

  const { session, tokens } = await refreshSession(runtime, refresh_token, audit);

  return {
    body: {
      user_id: session.userId,
      organization_id: session.organizationId,
      session: tokens,
    },
  };
});
