import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { AuditNotes } from '../core/audit-notes.js';
import { AppError } from '../core/errors.js';
import { invalidApiKey, type PartnerPrincipal } from '../core/partner-auth.js';
import { auditSubjectOf, authenticateSession, type SessionContext } from '../core/sessions.js';
import { findRoute, type Route, type RouteName } from '../routes.js';
import { getRuntime, type Runtime } from '../runtime/runtime.js';
import { AuditTrail } from './audit-trail.js';
import { logger } from './logger.js';
import { bearerCredential, header } from './request.js';
import { BROWSER_HEADERS, errorResponse, jsonResponse } from './responses.js';
import { describeFailure, toAppError } from './failures.js';

/** What a route's logic receives: the raw event, the runtime, and who is calling. */
export interface RouteRequest {
  readonly event: APIGatewayProxyEvent;
  readonly runtime: Runtime;
  /** Present on session routes: the caller, from a verified access token and live session. */
  readonly session?: SessionContext;
  /** Present on partner routes: the partner whose API key the authorizer accepted. */
  readonly partner?: PartnerPrincipal;
  /** The address API Gateway saw; never taken from a header. */
  readonly sourceIp: string;
  readonly userAgent: string;
  /** The request's audit record: add whom it concerns, details, and declared further events. */
  readonly audit: AuditNotes;
}

export interface RouteResponse {
  readonly status?: number;
  readonly body?: unknown;
  /** Extra response headers, such as a content type for a body that is not JSON. */
  readonly headers?: Record<string, string>;
  /** A body sent as it is instead of as JSON. */
  readonly rawBody?: string;
}

/** The caller of a session route; the route table guarantees it is there. */
export function sessionOf(request: RouteRequest): SessionContext {
  if (!request.session) throw new Error('sessionOf used on a route without session auth');
  return request.session;
}

/** The partner calling a partner route; the route table guarantees it is there. */
export function partnerOf(request: RouteRequest): PartnerPrincipal {
  if (!request.partner) throw new Error('partnerOf used on a route without partner auth');
  return request.partner;
}

export type RouteLogic = (request: RouteRequest) => Promise<RouteResponse>;

export type LambdaHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route's logic into a Lambda handler: authenticate as the route table says, run the
 * logic, shape the response, and turn every failure into the JSON error contract. The route's
 * authentication and roles come from the route table, so a handler cannot forget them.
 */
export function defineHandler(name: RouteName, logic: RouteLogic): LambdaHandler {
  const route = findRoute(name);
  const extraHeaders: Record<string, string> = route.auth === 'partner' ? {} : BROWSER_HEADERS;

  return async (event) => {
    const startedAt = Date.now();
    const sourceIp = event.requestContext?.identity?.sourceIp ?? 'unknown';
    const userAgent = userAgentOf(event);
    const requestId = event.requestContext?.requestId;
    const declared = route.audit ?? { none: 'undeclared' };
    const audit = new AuditTrail(route.name, declared, { ip: sourceIp, userAgent, requestId });
    let session: SessionContext | undefined;

    try {
      const runtime = await getRuntime();
      session = await authenticate(route, event, runtime);
      if (session) {
        // Identified before the role check, so a refused attempt is in the partner's log too.
        audit.identify(auditSubjectOf(session));
        requireRole(route, session);
      }
      const partner = route.auth === 'partner' ? partnerFromAuthorizer(event) : undefined;
      if (partner) {
        audit.identify({ partnerId: partner.partnerId, actor: `api_key:${partner.keyPrefix}` });
      }
      const request = { event, runtime, session, partner, sourceIp, userAgent, audit };
      const result = await logic(request);

      await audit.write(runtime);
      logOutcome(route, event, result.status ?? 200, startedAt, session);
      return respond(result, extraHeaders);
    } catch (caught) {
      const error = toAppError(caught);
      await writeFailure(audit, error);
      logOutcome(route, event, error.status, startedAt, session, error);
      return errorResponse(error, extraHeaders);
    }
  };
}

function respond(result: RouteResponse, extraHeaders: Record<string, string>) {
  const headers = { ...extraHeaders, ...result.headers };
  const response = jsonResponse(result.status ?? 200, result.body, headers);
  return result.rawBody === undefined ? response : { ...response, body: result.rawBody };
}

/** Records a failed request; a runtime that cannot even be built has nowhere to record. */
async function writeFailure(audit: AuditTrail, error: AppError): Promise<void> {
  try {
    await audit.write(await getRuntime(), error);
  } catch (caught) {
    logger.error('audit record failed', describeFailure(caught));
  }
}

async function authenticate(
  route: Route,
  event: APIGatewayProxyEvent,
  runtime: Runtime,
): Promise<SessionContext | undefined> {
  if (route.auth !== 'session') return undefined;

  return authenticateSession(runtime, bearerCredential(event));
}

function requireRole(route: Route, session: SessionContext): void {
  if (route.roles && !route.roles.includes(session.role)) {
    throw new AppError(
      'forbidden',
      `This action needs one of the roles: ${route.roles.join(', ')}`,
    );
  }
}

/**
 * The partner the authorizer established. API Gateway only invokes a partner route after its
 * authorizer allowed the key, so a missing context means a wiring mistake, never a caller's.
 */
function partnerFromAuthorizer(event: APIGatewayProxyEvent): PartnerPrincipal {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const partnerId = context?.partner_id;
  if (typeof partnerId !== 'string' || partnerId === '') throw invalidApiKey();
  return { partnerId, keyPrefix: String(context?.key_prefix ?? '') };
}

function userAgentOf(event: APIGatewayProxyEvent): string {
  const seen = event.requestContext?.identity?.userAgent ?? header(event, 'user-agent');
  return (seen ?? '').slice(0, 256);
}

function logOutcome(
  route: Route,
  event: APIGatewayProxyEvent,
  status: number,
  startedAt: number,
  session: SessionContext | undefined,
  error?: AppError,
): void {
  const fields = {
    route: route.name,
    request_id: event.requestContext?.requestId,
    status,
    duration_ms: Date.now() - startedAt,
    partner_id: session?.partnerId ?? partnerIdOf(event),
    organization_id: session?.organizationId,
    outcome: error ? error.code : 'ok',
    reason: error && error.reason !== error.code ? error.reason : undefined,
  };

  if (!error || status < 500) {
    logger.info('request completed', fields);
    return;
  }
  logger.error('request failed', { ...fields, ...describeFailure(error.cause) });
}

function partnerIdOf(event: APIGatewayProxyEvent): string | undefined {
  const partnerId = (event.requestContext?.authorizer as Record<string, unknown> | null)
    ?.partner_id;
  return typeof partnerId === 'string' ? partnerId : undefined;
}
