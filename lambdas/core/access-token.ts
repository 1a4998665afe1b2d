import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { AppError } from './errors.js';
import type { SessionKeyStore } from './ports.js';

/**
 * Who an access token speaks for. The token is only a signed pointer to a session: whether the
 * session is still live, and the role it carries, are read from the session itself.
 */
export interface AccessClaims {
  readonly userId: string;
  readonly organizationId: string;
  readonly partnerId: string;
  readonly sessionId: string;
}

const ISSUER = 'logicnodes';
const AUDIENCE = 'logicnodes-session';

/** Signs a short-lived HS256 access token with the platform's current session key. */
export async function signAccessToken(
  keys: SessionKeyStore,
  claims: AccessClaims,
  nowSeconds: number,
  expiresAt: number,
): Promise<string> {
  const key = await keys.current();
  return new SignJWT({ org: claims.organizationId, pid: claims.partnerId, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', kid: key.keyId, typ: 'at+jwt' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expiresAt)
    .sign(key.secret);
}

/**
 * Verifies signature, issuer, audience and expiry. Tokens signed with the previous session key
 * stay valid, so rotating the key logs nobody out.
 */
export async function verifyAccessToken(
  keys: SessionKeyStore,
  token: string,
  nowMs: number,
): Promise<AccessClaims> {
  let keyId: string | undefined;
  try {
    keyId = decodeProtectedHeader(token).kid;
  } catch {
    throw invalidAccessToken();
  }

  const key = typeof keyId === 'string' ? await keys.find(keyId) : undefined;
  if (!key) throw invalidAccessToken();

  try {
    const { payload } = await jwtVerify(token, key.secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(nowMs),
      requiredClaims: ['sub', 'exp', 'sid', 'org', 'pid'],
    });
    return {
      userId: String(payload.sub),
      organizationId: String(payload.org),
      partnerId: String(payload.pid),
      sessionId: String(payload.sid),
    };
  } catch {
    throw invalidAccessToken();
  }
}

function invalidAccessToken(): AppError {
  return new AppError('invalid_access_token', 'The access token is invalid or has expired');
}
