import type { AuditEventType, RouteAudit } from '../core/audit-events.js';
import { isAuthentication } from '../core/audit-events.js';
import type { AuditNotes, AuditSubject } from '../core/audit-notes.js';
import { toAuditRecord, type AuditDetails, type AuditRecord } from '../core/audit.js';
import type { AppError } from '../core/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { describeFailure } from './failures.js';
import { logger } from './logger.js';

interface Emitted {
  readonly type: AuditEventType;
  readonly success?: boolean;
  readonly reason?: string;
  readonly details?: AuditDetails;
}

/** Where the request came from, as API Gateway saw it. */
export interface RequestOrigin {
  readonly ip: string;
  readonly userAgent: string;
  readonly requestId?: string;
}

/**
 * The audit record of one request in the making. defineHandler opens it from the route's
 * declaration, the route's logic and the domain add to it, and it is written once the outcome
 * is known, success or failure, so no route can forget to record its event.
 */
export class AuditTrail implements AuditNotes {
  private subject: AuditSubject = {};
  private details: AuditDetails = {};
  private mainType?: AuditEventType;
  private readonly emitted: Emitted[] = [];

  constructor(
    private readonly routeName: string,
    private readonly declared: RouteAudit,
    private readonly origin: RequestOrigin,
  ) {}

  identify(subject: AuditSubject): void {
    const known = Object.entries(subject).filter(([, value]) => value !== undefined);
    this.subject = { ...this.subject, ...Object.fromEntries(known) };
  }

  detail(details: AuditDetails): void {
    this.details = { ...this.details, ...details };
  }

  classify(type: AuditEventType): void {
    this.assertDeclared(type);
    this.mainType = type;
  }

  emit(type: AuditEventType, event: Omit<Emitted, 'type'> = {}): void {
    this.assertDeclared(type);
    this.emitted.push({ type, ...event });
  }

  private assertDeclared(type: AuditEventType): void {
    if (!('event' in this.declared) || !this.declared.also?.includes(type)) {
      throw new Error(`Route ${this.routeName} records ${type} without declaring it`);
    }
  }

  /** The records the request produced, given how it ended. */
  records(nowMs: number, failure?: AppError): AuditRecord[] {
    if (!('event' in this.declared)) return [];

    const main: Emitted = {
      type: this.mainType ?? this.declared.event,
      success: !failure,
      reason: failure?.reason,
      details: this.details,
    };
    return [main, ...this.emitted].map((event) =>
      toAuditRecord(
        {
          ...this.subject,
          type: event.type,
          success: event.success ?? true,
          reason: event.reason,
          actor: this.subject.actor ?? 'anonymous',
          ip: this.origin.ip,
          userAgent: this.origin.userAgent,
          details: event.details,
        },
        nowMs,
      ),
    );
  }

  /**
   * Writes the request's records. An audit write that fails does not change the caller's
   * answer (the work is done by then); it is logged as an error naming the event types.
   */
  async write(runtime: Runtime, failure?: AppError): Promise<void> {
    const records = this.records(runtime.clock.now(), failure);
    logFailedAuthentications(records, this.origin.requestId);
    if (records.length === 0) return;

    try {
      await runtime.auditLog.record(records);
    } catch (error) {
      logger.error('audit record failed', {
        route: this.routeName,
        request_id: this.origin.requestId,
        event_types: records.map((record) => record.event_type).join(','),
        ...describeFailure(error),
      });
    }
  }
}

/**
 * One log line per failed authentication, whatever becomes of the audit write. The stack's
 * metric filter counts lines with `auth_failed: true`, and the alarm watches that metric.
 */
export function logFailedAuthentications(records: readonly AuditRecord[], requestId?: string) {
  for (const record of records) {
    if (record.success || !isAuthentication(record.event_type)) continue;
    logger.warn('authentication failed', {
      auth_failed: true,
      event_type: record.event_type,
      reason: record.reason,
      partner_id: record.partner_id,
      request_id: requestId,
    });
  }
}
