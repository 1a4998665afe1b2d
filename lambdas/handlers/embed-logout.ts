import { endSession } from '../core/sessions.js';
import { defineHandler, sessionOf } from '../http/define-handler.js';

export const handler = defineHandler('embed-logout', async (request) => {
  const { runtime } = request;
  const session = sessionOf(request);

  await endSession(runtime, session);

  return { status: 204 };
});
