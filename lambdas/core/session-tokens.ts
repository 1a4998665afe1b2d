import { SESSION_POLICY } from '../config/session-policy.js';
import { signAccessToken } from './access-token.js';
import { AppError } from './errors.js';
import type { SessionContext, SessionDeps } from './sessions.js';

/** The session part of the embed-auth and refresh responses, named as the spec names it. */
export interface SessionTokens {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_at: number;
  readonly expires_in: number;
}

const REFRESH_TOKEN_VERSION = 'v1';

/**
 * Issues an access token (never past the session's absolute end) and the refresh token
 * `v1.<organization>.<session>.<secret>`, which names the session it belongs to so a refresh
 * is one read of one item.
 */
export async function issueTokens(
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

/** The parts of a refresh token, or 401 when it is not one of ours. */
export function parseRefreshToken(token: string) {
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
