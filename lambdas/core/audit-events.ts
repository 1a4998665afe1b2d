/**
 * Every kind of event the audit log records. A route names its events in the route table; the
 * catalogue says which of them are authentications, which the failed-authentication alarm
 * counts. Adding an event type here is the only way to make a new one recordable.
 */
export const AUDIT_EVENTS = {
  // Authentication
  jwt_validation: { authentication: true },
  session_created: { authentication: false },
  session_refreshed: { authentication: true },
  refresh_token_reused: { authentication: false },
  session_revoked: { authentication: false },
  logout: { authentication: false },
  api_key_authenticated: { authentication: true },
  // Secrets
  secret_created: { authentication: false },
  secret_updated: { authentication: false },
  secret_deleted: { authentication: false },
  // Administration
  api_key_generated: { authentication: false },
  organization_deleted: { authentication: false },
  user_deleted: { authentication: false },
  retention_changed: { authentication: false },
  user_rectified: { authentication: false },
  data_exported: { authentication: false },
  sessions_revoked: { authentication: false },
  cleanup_run: { authentication: false },
  audit_log_exported: { authentication: false },
} as const satisfies Record<string, { authentication: boolean }>;

export type AuditEventType = keyof typeof AUDIT_EVENTS;

export const AUDIT_EVENT_TYPES = Object.keys(AUDIT_EVENTS) as AuditEventType[];

export function isAuditEventType(value: string): value is AuditEventType {
  return Object.hasOwn(AUDIT_EVENTS, value);
}

/** True for events whose failure is a failed authentication, counted by the alarm. */
export function isAuthentication(type: AuditEventType): boolean {
  return AUDIT_EVENTS[type].authentication;
}

/**
 * How a route takes part in the audit log: the event it records on every call, success or
 * failure, and the further events its logic may add (`emit`) or name as what the call turned
 * out to be (`classify`, e.g. a PUT that created rather than updated); or, for a route with no
 * security event, the reason it records none.
 */
export type RouteAudit =
  | { readonly event: AuditEventType; readonly also?: readonly AuditEventType[] }
  | { readonly none: string };
