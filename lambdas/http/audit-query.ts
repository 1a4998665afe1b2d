import { z } from 'zod';
import { isAuditEventType } from '../core/audit-events.js';
import { AUDIT_RETENTION_DAYS, type AuditQuery } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { PARTNER_SUPPLIED_ID } from '../core/ids.js';
import { partnerOf, type RouteRequest } from './define-handler.js';
import { parseQuery } from './request.js';

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

const instant = z
  .string()
  .regex(ISO_8601, 'must be an ISO 8601 date or date-time with a zone')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a real date');

const querySchema = z.object({
  partner_id: z.string().max(64).optional(),
  event_type: z.string().refine(isAuditEventType, 'is not a known event type').optional(),
  org_id: z.string().regex(PARTNER_SUPPLIED_ID).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).max(512).optional(),
});

/**
 * The audit filter of a query string, for the list and the export alike. A partner reads only
 * its own records: naming another partner is 403, whatever that partner's existence.
 */
export function readAuditQuery(request: RouteRequest, defaultLimit: number): AuditQuery {
  const caller = partnerOf(request).partnerId;
  const query = parseQuery(request.event, querySchema);
  if (query.partner_id !== undefined && query.partner_id !== caller) {
    throw new AppError('forbidden', 'You can only read your own audit logs');
  }

  const asked = query.from === undefined ? undefined : startOf(query.from);
  const to = query.to === undefined ? undefined : endOf(query.to);
  if (asked && to && asked > to) {
    throw new AppError('validation_failed', "Invalid parameter 'from': it is after 'to'");
  }

  // Records past their retention may linger until DynamoDB's TTL removes them: never show them.
  const retained = new Date(
    request.runtime.clock.now() - AUDIT_RETENTION_DAYS * 86_400_000,
  ).toISOString();
  const from = asked === undefined || asked < retained ? retained : asked;

  return {
    partnerId: caller,
    eventType: query.event_type as AuditQuery['eventType'],
    orgId: query.org_id,
    from,
    to,
    limit: query.limit ?? defaultLimit,
    cursor: query.cursor,
  };
}

/** A date alone means the start of that UTC day. */
function startOf(value: string): string {
  return new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value).toISOString();
}

/** A date alone means the whole of that UTC day. */
function endOf(value: string): string {
  return new Date(value.length === 10 ? `${value}T23:59:59.999Z` : value).toISOString();
}
