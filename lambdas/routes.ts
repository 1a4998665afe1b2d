import type { RouteAudit } from './core/audit-events.js';
import type { Role } from './core/embed-token.js';

/**
 * THE route table. The CDK API construct, the local twin, the OpenAPI document and the
 * tenant-isolation tests all read it, so a route is declared here once and nowhere else.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a route authenticates its caller.
 * - `public`: nobody yet (embed login and refresh establish identity themselves);
 * - `session`: `Authorization: Bearer <access token>` from embed login;
 * - `partner`: `Authorization: Bearer pk_...`, a partner API key.
 */
export type RouteAuth = 'public' | 'session' | 'partner';

/** What a route's function may touch. The stack turns each grant into least-privilege IAM. */
export type Grant =
  | 'table:read'
  | 'table:write'
  | 'table:delete'
  | 'session-key:read'
  /** Add-only access to the audit log; given automatically to every route with events. */
  | 'audit:write'
  | 'audit:read'
  | 'audit:signing-key:read'
  /** KMS Encrypt with the secrets key, for routes that write organization secrets. */
  | 'secrets:encrypt';

export interface Route {
  /** Names the handler file `lambdas/handlers/<name>.ts` and the route's Lambda function. */
  readonly name: string;
  readonly method: HttpMethod;
  /** API path; `{param}` segments are path parameters. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** For session routes: the roles allowed to call. @default every role */
  readonly roles?: readonly Role[];
  readonly grants: readonly Grant[];
  /**
   * The audit events the route records (defineHandler records them on success and failure; a
   * route with events is granted add-only access to the audit log), or why it records none.
   * Every route of ROUTES declares one (a test insists); only test fixtures leave it out.
   */
  readonly audit?: RouteAudit;
  /** One line for the OpenAPI document. */
  readonly summary: string;
}

export const ROUTES = [
  {
    name: 'embed-auth',
    method: 'POST',
    path: '/api/v1/embed/auth',
    auth: 'public',
    grants: ['table:read', 'table:write', 'session-key:read'],
    audit: { event: 'jwt_validation', also: ['session_created'] },
    summary: 'Exchange a partner-signed JWT for a session',
  },
  {
    name: 'embed-refresh',
    method: 'POST',
    path: '/api/v1/embed/refresh',
    auth: 'public',
    grants: ['table:read', 'table:write', 'table:delete', 'session-key:read'],
    audit: { event: 'session_refreshed', also: ['refresh_token_reused', 'session_revoked'] },
    summary: 'Rotate a refresh token for new session tokens',
  },
  {
    name: 'embed-logout',
    method: 'POST',
    path: '/api/v1/embed/logout',
    auth: 'session',
    grants: ['table:read', 'table:write', 'table:delete', 'session-key:read'],
    audit: { event: 'logout' },
    summary: 'End the current session',
  },
  {
    name: 'me',
    method: 'GET',
    path: '/api/v1/me',
    auth: 'session',
    grants: ['table:read', 'table:write', 'session-key:read'],
    audit: { none: "Reads the caller's own profile; the session check is not a login" },
    summary: "The signed-in user's profile, organization and role",
  },
  {
    name: 'partner-secret-put',
    method: 'POST',
    path: '/api/v1/partner/secrets',
    auth: 'partner',
    grants: ['table:read', 'table:write', 'secrets:encrypt'],
    audit: { event: 'secret_updated', also: ['secret_created'] },
    summary: "Create or replace a secret of one of the partner's organizations",
  },
  {
    name: 'partner-secret-list',
    method: 'GET',
    path: '/api/v1/partner/secrets/{org_id}',
    auth: 'partner',
    grants: ['table:read'],
    audit: { none: 'Lists secret names and metadata; values never leave, nothing changes' },
    summary: "List the metadata of an organization's secrets (never their values)",
  },
  {
    name: 'partner-secret-delete',
    method: 'DELETE',
    path: '/api/v1/partner/secrets/{org_id}/{key}',
    auth: 'partner',
    grants: ['table:read', 'table:write', 'table:delete'],
    audit: { event: 'secret_deleted' },
    summary: "Delete a secret of one of the partner's organizations",
  },
  {
    name: 'org-secret-list',
    method: 'GET',
    path: '/api/v1/org/secrets',
    auth: 'session',
    grants: ['table:read', 'table:write', 'session-key:read'],
    audit: { none: 'Lists secret names and metadata; values never leave, nothing changes' },
    summary: "List the metadata of the user's organization's secrets (never their values)",
  },
  {
    name: 'org-secret-put',
    method: 'PUT',
    path: '/api/v1/org/secrets/{key}',
    auth: 'session',
    roles: ['admin'],
    grants: ['table:read', 'table:write', 'session-key:read', 'secrets:encrypt'],
    audit: { event: 'secret_updated', also: ['secret_created'] },
    summary: "Create or replace a user-managed secret of the admin's organization",
  },
  {
    name: 'org-secret-delete',
    method: 'DELETE',
    path: '/api/v1/org/secrets/{key}',
    auth: 'session',
    roles: ['admin'],
    grants: ['table:read', 'table:write', 'table:delete', 'session-key:read'],
    audit: { event: 'secret_deleted' },
    summary: "Delete a user-managed secret of the admin's organization",
  },
  {
    name: 'partner-user-sessions-revoke',
    method: 'DELETE',
    path: '/api/v1/partner/organizations/{org_id}/users/{user_id}/sessions',
    auth: 'partner',
    grants: ['table:read', 'table:write'],
    audit: { event: 'sessions_revoked' },
    summary: "End every session of one of the partner's users at once",
  },
  {
    name: 'openapi',
    method: 'GET',
    path: '/api/v1/openapi.json',
    auth: 'public',
    grants: [],
    audit: { none: 'Serves the public API description; no caller, no security event' },
    summary: 'This API described in OpenAPI 3.1',
  },
  {
    name: 'partner-api-key-generate',
    method: 'POST',
    path: '/api/v1/partner/api-key/generate',
    auth: 'partner',
    grants: ['table:read', 'table:write'],
    audit: { event: 'api_key_generated' },
    summary: 'Replace the partner API key, optionally keeping the old one for an overlap',
  },
  {
    name: 'partner-api-key-info',
    method: 'GET',
    path: '/api/v1/partner/api-key/info',
    auth: 'partner',
    grants: ['table:read'],
    audit: { none: 'Reads key metadata (prefix, dates); the key check is recorded already' },
    summary: "The partner API key's prefix, creation and last use",
  },
  {
    name: 'audit-logs',
    method: 'GET',
    path: '/api/v1/partner/audit-logs',
    auth: 'partner',
    grants: ['audit:read'],
    audit: { none: "Reads the caller's own audit records; the key check is recorded already" },
    summary: "The partner's audit records, newest first, filtered and paged",
  },
  {
    name: 'audit-logs-export',
    method: 'GET',
    path: '/api/v1/partner/audit-logs/export',
    auth: 'partner',
    grants: ['audit:read'],
    audit: { event: 'audit_log_exported' },
    summary: 'The same records as JSON lines, a page at a time, for keeping a copy',
  },
  {
    name: 'audit-log-digests',
    method: 'GET',
    path: '/api/v1/partner/audit-logs/digests',
    auth: 'partner',
    grants: ['audit:read', 'audit:signing-key:read'],
    audit: { none: 'Reads signed daily digests, which hold no event of their own' },
    summary: "Signed daily digests of the partner's audit records and the verifying key",
  },
] as const satisfies readonly Route[];

export type RouteName = (typeof ROUTES)[number]['name'];

export function findRoute(name: RouteName): Route {
  const route = ROUTES.find((candidate) => candidate.name === name);
  if (!route) throw new Error(`No route named ${name}`);
  return route;
}
