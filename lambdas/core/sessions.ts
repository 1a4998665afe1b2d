import { SESSION_POLICY } from '../config/session-policy.js';
import { verifyAccessToken } from './access-token.js';
import type { Role } from './embed-token.js';
import { DISCARD_AUDIT_NOTES, type AuditNotes } from './audit-notes.js';
import { AppError, ConditionFailedError } from './errors.js';
import { randomToken, sameSecret, sha256 } from './ids.js';
import { sessionKey, userKey } from './keys.js';
import { issueTokens, parseRefreshToken, type SessionTokens } from './session-tokens.js';
import { standingOf } from './user-standing.js';
import type { Clock, Item, SessionKeyStore, Table } from './ports.js';

export type { SessionTokens };

export interface SessionDeps {
  readonly table: Table;
  readonly sessionKeys: SessionKeyStore;
  readonly clock: Clock;
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
      created_ms: deps.clock.now(),
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
 * was already rotated means two parties hold it, so the whole session is revoked. A secret this
 * session never issued is only refused: knowing a session id (it is in the access token) must
 * not be enough to end someone's session.
 */
export async function refreshSession(
  deps: SessionDeps,
  refreshToken: string,
  audit: AuditNotes = DISCARD_AUDIT_NOTES,
): Promise<{ session: SessionContext; tokens: SessionTokens }> {
  const parsed = parseRefreshToken(refreshToken);
  const key = sessionKey(parsed.organizationId, parsed.sessionId);
  const item = await deps.table.get(key);
  if (!item) throw invalidRefreshToken();

  const user = await deps.table.get(userKey(parsed.organizationId, item.user_id as string));
  const session = toContext(item, user);
  audit.identify(auditSubjectOf(session));
  audit.detail({ session_id: session.sessionId });

  const presented = sha256(parsed.secret);
  if (!sameSecret(item.refresh_hash as string, presented)) {
    if (!wasIssuedBefore(item, presented)) throw invalidRefreshToken();
    await revokeReused(deps.table, key, session, audit);
    throw reused();
  }

  const now = nowSeconds(deps.clock);
  standingOf(item, user);
  if (!isLive(item, now)) {
    await deps.table.delete(key);
    throw expired();
  }

  const nextSecret = randomToken(32);
  const rotatedOut = [...previousHashes(item), item.refresh_hash as string];
  try {
    await deps.table.update(key, {
      set: {
        refresh_hash: sha256(nextSecret),
        previous_refresh_hashes: rotatedOut.slice(-MAX_REMEMBERED_REFRESH_HASHES),
        last_active_epoch: now,
      },
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
 * has not idled out, is within its absolute lifetime and has not been revoked; the role is the
 * user's current one. Activity is recorded at most once a
 * minute, so a busy session does not write on every request.
 */
export async function authenticateSession(
  deps: SessionDeps,
  accessToken: string,
): Promise<SessionContext> {
  const claims = await verifyAccessToken(deps.sessionKeys, accessToken, deps.clock.now());
  const [item, user] = await Promise.all([
    deps.table.get(sessionKey(claims.organizationId, claims.sessionId)),
    deps.table.get(userKey(claims.organizationId, claims.userId)),
  ]);
  if (!item || item.user_id !== claims.userId || item.partner_id !== claims.partnerId) {
    throw new AppError('invalid_access_token', 'The access token is invalid or has expired');
  }

  const now = nowSeconds(deps.clock);
  standingOf(item, user);
  if (!isLive(item, now)) throw expired();

  const lastActive = item.last_active_epoch as number;
  if (now - lastActive >= SESSION_POLICY.activityWriteIntervalSeconds) {
    await touch(deps.table, item, now);
  }
  return toContext(item, user);
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

function isLive(item: Item, now: number): boolean {
  const created = item.created_epoch as number;
  const lastActive = item.last_active_epoch as number;
  return (
    now < created + SESSION_POLICY.absoluteLifetimeSeconds &&
    now - lastActive <= SESSION_POLICY.idleTimeoutSeconds
  );
}

/** The session's caller, with the role the user has now (the one at login, failing that). */
function toContext(item: Item, user?: Item): SessionContext {
  return {
    sessionId: item.session_id as string,
    userId: item.user_id as string,
    organizationId: item.organization_id as string,
    partnerId: item.partner_id as string,
    role: (user?.role ?? item.role) as Role,
    partnerOrgId: item.partner_org_id as string | undefined,
    partnerUserId: item.partner_user_id as string | undefined,
  };
}

/** Enough for a session refreshed every half hour for its whole 24 hours, and then some. */
const MAX_REMEMBERED_REFRESH_HASHES = 64;

function previousHashes(item: Item): string[] {
  const hashes = item.previous_refresh_hashes;
  return Array.isArray(hashes) ? (hashes as string[]) : [];
}

function wasIssuedBefore(item: Item, presented: string): boolean {
  return previousHashes(item).some((hash) => sameSecret(hash, presented));
}

const nowSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);

const invalidRefreshToken = (): AppError =>
  new AppError('invalid_refresh_token', 'The refresh token is not valid');

const reused = (): AppError =>
  new AppError('refresh_token_reused', 'The refresh token was already used; the session is ended');

const expired = (): AppError =>
  new AppError('session_expired', 'The session has ended; sign in again');
