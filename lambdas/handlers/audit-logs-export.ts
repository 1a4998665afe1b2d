import { readAuditQuery } from '../http/audit-query.js';
import { defineHandler } from '../http/define-handler.js';

/** Records per export page when the caller names no limit; well under Lambda's 6 MB answer. */
const DEFAULT_LIMIT = 1000;

/**
 * The audit records as JSON lines, one record per line. A Lambda proxy answer cannot stream,
 * so a long export comes in pages: `x-next-cursor` names the next one until none is left.
 */
export const handler = defineHandler('audit-logs-export', async (request) => {
  const query = readAuditQuery(request, DEFAULT_LIMIT);

  const page = await request.runtime.auditLog.query(query);
  request.audit.detail({
    record_count: page.items.length,
    ...(query.eventType ? { event_type_filter: query.eventType } : {}),
    ...(query.orgId ? { org_id_filter: query.orgId } : {}),
  });

  const lines = page.items.map((record) => JSON.stringify(record) + '\n').join('');
  return {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      ...(page.cursor ? { 'x-next-cursor': page.cursor } : {}),
    },
    rawBody: lines,
  };
});
