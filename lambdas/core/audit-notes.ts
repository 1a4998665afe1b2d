import type { AuditEventType } from './audit-events.js';
import type { AuditDetails } from './audit.js';

/** Who a request turned out to concern, as far as the domain has learnt it. */
export interface AuditSubject {
  readonly partnerId?: string;
  readonly orgId?: string;
  readonly userId?: string;
  readonly organizationId?: string;
  readonly actor?: string;
}

/**
 * Where domain code reports, while it works, what the audit log should say about the request:
 * whom it concerns, details of the route's own event, and further events. A login that fails
 * after its key was found still names the partner, because the domain noted it on the way.
 */
export interface AuditNotes {
  identify(subject: AuditSubject): void;
  detail(details: AuditDetails): void;
  /**
   * Names which declared event this request turned out to be, for a route whose one call may
   * be either (a PUT that creates or updates): the type must be in the route's `audit.also`.
   */
  classify(type: AuditEventType): void;
  /** A further event; the route must declare its type in the route table's `audit.also`. */
  emit(
    type: AuditEventType,
    event?: { success?: boolean; reason?: string; details?: AuditDetails },
  ): void;
}

/** For callers outside a request (the CLI, tests): notes go nowhere. */
export const DISCARD_AUDIT_NOTES: AuditNotes = {
  identify: () => {},
  detail: () => {},
  classify: () => {},
  emit: () => {},
};
