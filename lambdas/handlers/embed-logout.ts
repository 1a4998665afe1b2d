import { endSession } from '../core/sessions.js';
import { defineHandler, sessionOf } from '../http/define-handler.js';

export const handler = defineHandler('embed-logout', async (request) => {
  const { runtime, audit } = request;
  const session = sessionOf(request);
  audit.detail({ session_id: session.sessionId });

  await endSession(runtime, session);

  return { status: 204 };
});
