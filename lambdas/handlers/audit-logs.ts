import { readAuditQuery } from '../http/audit-query.js';
import { defineHandler } from '../http/define-handler.js';

/** Page size when the caller names none. */
const DEFAULT_LIMIT = 100;

export const handler = defineHandler('audit-logs', async (request) => {
  const query = readAuditQuery(request, DEFAULT_LIMIT);

  const page = await request.runtime.auditLog.query(query);

  return { body: { audit_logs: page.items, next_cursor: page.cursor ?? null } };
});
