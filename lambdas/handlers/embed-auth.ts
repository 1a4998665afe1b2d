import { z } from 'zod';
import { loginWithEmbedToken } from '../core/embed-login.js';
import { countEmbedLogin } from '../core/rate-limit.js';
import { defineHandler } from '../http/define-handler.js';
import { parseBody } from '../http/request.js';

const bodySchema = z.object({ token: z.string().min(1) });

export const handler = defineHandler('embed-auth', async ({ event, runtime, sourceIp, audit }) => {
  await countEmbedLogin(runtime, sourceIp);
  const { token } = parseBody(event, bodySchema);

  const { partnerId: _partnerId, ...result } = await loginWithEmbedToken(runtime, token, audit);

  return { body: result };
});
