import { timingSafeEqual } from 'node:crypto';
import { SESSION_POLICY } from '../config/session-policy.js';
import { signAccessToken, verifyAccessToken } from './access-token.js';
import type { Role } from './embed-token.js';
import { DISCARD_AUDIT_NOTES, type AuditNotes } from './audit-notes.js';
import { AppError, ConditionFailedError } from './errors.js';
import { randomToken, sha256 } from './ids.js';
import { sessionKey } from './keys.js';
import type { Clock, Item, SessionKeyStore, Table } from './ports.js';

export interface SessionDeps {
  readonly table: Table;
  readonly sessionKeys: SessionKeyStore;
  readonly clock: Clock;
}

/** The session part of the embed-auth and refresh responses, named as the spec names it. */
export interface SessionTokens {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_at: number;
  readonly expires_in: number;
}

/** The caller of a session route, as established from its access token and live session. */
export interface SessionContext {
  readonly sessionId: string;
  readonly userId: string;
  readonly organizationId: string;
  readonly partnerId: string;
  readonly role: Role;
  /** The partner's own organization and user ids, for the audit log; absent on old sessions. */
  readonly partnerOrgId?: string;
  readonly partnerUserId?: string;
}

const REFRESH_TOKEN_VERSION = 'v1';

export async function startSession(
  deps: SessionDeps,
  member: Omit<SessionContext, 'sessionId'>,
): Promise<{ sessionId: string; tokens: SessionTokens }> {
  const now = nowSeconds(deps.clock);
  const session: SessionContext = { ...member, sessionId: randomToken(16) };
  const refreshSecret = randomToken(32);

  await deps.table.put(
    {
      ...sessionKey(session.organizationId, session.sessionId),
      session_id: session.sessionId,
      user_id: session.userId,
      organization_id: session.organizationId,
      partner_id: session.partnerId,
      role: session.role,
      partner_org_id: session.partnerOrgId,
      partner_user_id: session.partnerUserId,
      created_epoch: now,
      last_active_epoch: now,
      refresh_hash: sha256(refreshSecret),
      ttl: now + SESSION_POLICY.absoluteLifetimeSeconds,
    },
    { onlyIfAbsent: true },
  );
  const tokens = await issueTokens(deps, session, now, now, refreshSecret);
  return { sessionId: session.sessionId, tokens };
}

/**
 * Exchanges a refresh token for new tokens, rotating the refresh token. Presenting a token that
 * was already rotated means two parties hold it, so the whole session is revoked.
 */
export async function refreshSession(
  deps: SessionDeps,
  refreshToken: string,
  audit: AuditNotes = DISCARD_AUDIT_NOTES,
): Promise<{ session: SessionContext; tokens: SessionTokens }> {
  const parsed = parseRefreshToken(refreshToken);
  const key = sessionKey(parsed.organizationId, parsed.sessionId);
  const item = await deps.table.get(key);
  if (!item) throw new AppError('invalid_refresh_token', 'The refresh token is not valid');

  const session = toContext(item);
  audit.identify(auditSubjectOf(session));
  audit.detail({ session_id: session.sessionId });
  if (!hashesMatch(item.refresh_hash as string, sha256(parsed.secret))) {
    await revokeReused(deps.table, key, session, audit);
    throw reused();
  }

  const now = nowSeconds(deps.clock);
  if (!isLive(item, now)) {
    await deps.table.delete(key);
    throw expired();
  }

  const nextSecret = randomToken(32);
  try {
    await deps.table.update(key, {
      set: { refresh_hash: sha256(nextSecret), last_active_epoch: now },
      expect: { refresh_hash: item.refresh_hash },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    await revokeReused(deps.table, key, session, audit);
    throw reused();
  }

  const tokens = await issueTokens(deps, session, item.created_epoch as number, now, nextSecret);
  return { session, tokens };
}

/**
 * Establishes the caller of a session route: a valid access token whose session still exists,
 * has not idled out and is within its absolute lifetime. Activity is recorded at most once a
 * minute, so a busy session does not write on every request.
 */
export async function authenticateSession(
  deps: SessionDeps,
  accessToken: string,
): Promise<SessionContext> {
  const claims = await verifyAccessToken(deps.sessionKeys, accessToken, deps.clock.now());
  const key = sessionKey(claims.organizationId, claims.sessionId);
  const item = await deps.table.get(key);
  if (!item || item.user_id !== claims.userId || item.partner_id !== claims.partnerId) {
    throw new AppError('invalid_access_token', 'The access token is invalid or has expired');
  }

  const now = nowSeconds(deps.clock);
  if (!isLive(item, now)) throw expired();

  const lastActive = item.last_active_epoch as number;
  if (now - lastActive >= SESSION_POLICY.activityWriteIntervalSeconds) {
    await touch(deps.table, item, now);
  }
  return toContext(item);
}

/** Ends a session at once: its access and refresh tokens fail on their next use. */
export async function endSession(deps: SessionDeps, session: SessionContext): Promise<void> {
  await deps.table.delete(sessionKey(session.organizationId, session.sessionId));
}

/** What the audit log says about whom a session concerns. */
export function auditSubjectOf(session: SessionContext) {
  return {
    partnerId: session.partnerId,
    organizationId: session.organizationId,
    orgId: session.partnerOrgId,
    userId: session.partnerUserId,
    actor: `user:${session.partnerUserId ?? session.userId}`,
  };
}

/** A reused refresh token ends its session, and the audit log says so twice. */
async function revokeReused(
  table: Table,
  key: { pk: string; sk: string },
  session: SessionContext,
  audit: AuditNotes,
): Promise<void> {
  await table.delete(key);
  const details = { session_id: session.sessionId };
  audit.emit('refresh_token_reused', { success: false, reason: 'reuse_detected', details });
  audit.emit('session_revoked', { details: { ...details, cause: 'refresh_token_reused' } });
}

async function touch(table: Table, item: Item, now: number): Promise<void> {
  try {
    await table.update(
      { pk: item.pk, sk: item.sk },
      { set: { last_active_epoch: now }, onlyIfExists: true },
    );
  } catch (error) {
    if (error instanceof ConditionFailedError) throw expired();
    throw error;
  }
}

async function issueTokens(
  deps: SessionDeps,
  session: SessionContext,
  createdEpoch: number,
  now: number,
  refreshSecret: string,
): Promise<SessionTokens> {
  const hardEnd = createdEpoch + SESSION_POLICY.absoluteLifetimeSeconds;
  const expiresAt = Math.min(now + SESSION_POLICY.accessTokenSeconds, hardEnd);
  const accessToken = await signAccessToken(deps.sessionKeys, session, now, expiresAt);
  const refreshToken = [
    REFRESH_TOKEN_VERSION,
    session.organizationId,
    session.sessionId,
    refreshSecret,
  ].join('.');

  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_at: expiresAt,
    expires_in: expiresAt - now,
  };
}

function isLive(item: Item, now: number): boolean {
  const created = item.created_epoch as number;
  const lastActive = item.last_active_epoch as number;
  return (
    now < created + SESSION_POLICY.absoluteLifetimeSeconds &&
    now - lastActive <= SESSION_POLICY.idleTimeoutSeconds
  );
}

function parseRefreshToken(token: string) {
  const parts = token.split('.');
  const [version, organizationId, sessionId, secret] = parts;
  const wellFormed =
    parts.length === 4 &&
    version === REFRESH_TOKEN_VERSION &&
    parts.every((part) => /^[A-Za-z0-9_-]{1,64}$/.test(part));
  if (!wellFormed || !organizationId || !sessionId || !secret) {
    throw new AppError('invalid_refresh_token', 'The refresh token is not valid');
  }
  return { organizationId, sessionId, secret };
}

function hashesMatch(stored: string, presented: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

function toContext(item: Item): SessionContext {
  return {
    sessionId: item.session_id as string,
    userId: item.user_id as string,
    organizationId: item.organization_id as string,
    partnerId: item.partner_id as string,
    role: item.role as Role,
    partnerOrgId: item.partner_org_id as string | undefined,
    partnerUserId: item.partner_user_id as string | undefined,
  };
}

const nowSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);

const reused = (): AppError =>
  new AppError('refresh_token_reused', 'The refresh token was already used; the session is ended');

const expired = (): AppError =>
  new AppError('session_expired', 'The session has ended; sign in again');
