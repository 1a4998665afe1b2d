import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { EMBED_TOKEN_POLICY } from '../config/session-policy.js';
import { AppError } from './errors.js';
import { PARTNER_SUPPLIED_ID } from './ids.js';
import type { PartnerSigningKey } from './partners.js';

export const ROLES = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const embedClaimsSchema = z.object({
  user_id: z.string().regex(PARTNER_SUPPLIED_ID),
  org_id: z.string().regex(PARTNER_SUPPLIED_ID),
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  exp: z.number().int(),
  org_name: z.string().trim().min(1).max(200).optional(),
  jti: z.string().min(1).max(256).optional(),
  role: z.enum(ROLES).default('member'),
});

export type EmbedClaims = z.infer<typeof embedClaimsSchema>;

export interface VerifiedEmbedToken {
  readonly partnerId: string;
  readonly keyId: string;
  readonly claims: EmbedClaims;
}

/** Looks up partner signing keys; the two ways a token can name its key. */
export interface SigningKeyResolver {
  byKeyId(keyId: string): Promise<PartnerSigningKey | undefined>;
  byPartner(partnerId: string): Promise<PartnerSigningKey[]>;
}

/**
 * Verifies a partner-signed embed token: RS256 only, signed by a key the partner registered,
 * unexpired (with bounded clock tolerance), not used before `nbf`, never valid for more than
 * 24 hours, and carrying the required claims with the right types.
 *
 * An unknown key and a bad signature fail identically, so callers cannot probe for partner or
 * key ids. The specific cause travels in `AppError.reason` for the audit log only.
 */
export async function verifyEmbedToken(
  token: string,
  keys: SigningKeyResolver,
  nowMs: number,
): Promise<VerifiedEmbedToken> {
  if (Buffer.byteLength(token, 'utf8') > EMBED_TOKEN_POLICY.maxTokenBytes) {
    throw invalidToken('token_too_large');
  }

  const header = readHeader(token);
  if (header.alg !== EMBED_TOKEN_POLICY.algorithm) throw invalidToken('algorithm_not_allowed');

  const candidates = await candidateKeys(token, header.kid, keys);
  if (candidates.length === 0) throw invalidToken('unknown_key');

  for (const key of candidates) {
    const payload = await verifyWith(token, key, nowMs);
    if (!payload) continue;

    if (payload.iss !== undefined && payload.iss !== key.partnerId) {
      throw invalidToken('issuer_mismatch');
    }
    if (!meantForUs(payload.aud)) throw invalidToken('audience_mismatch');
    return { partnerId: key.partnerId, keyId: key.keyId, claims: checkClaims(payload, nowMs) };
  }
  throw invalidToken('bad_signature');
}

/**
 * `aud` is optional, as the spec does not ask for it; but a token a partner minted for some
 * other service of theirs, with the same claim names, must not open a session here.
 */
function meantForUs(audience: unknown): boolean {
  if (audience === undefined) return true;
  const audiences = Array.isArray(audience) ? audience : [audience];
  return audiences.includes(EMBED_TOKEN_POLICY.audience);
}

function readHeader(token: string): { alg?: string; kid?: string } {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw invalidToken('malformed');
  }
}

async function candidateKeys(
  token: string,
  keyId: string | undefined,
  keys: SigningKeyResolver,
): Promise<PartnerSigningKey[]> {
  if (keyId !== undefined) {
    if (typeof keyId !== 'string' || keyId.length > 128) return [];
    const key = await keys.byKeyId(keyId);
    return key ? [key] : [];
  }

  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw invalidToken('malformed');
  }
  return typeof issuer === 'string' ? keys.byPartner(issuer) : [];
}

/** Returns the payload, or undefined when the signature does not match this key. */
async function verifyWith(
  token: string,
  key: PartnerSigningKey,
  nowMs: number,
): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, createPublicKey(key.publicKeyPem), {
      algorithms: [EMBED_TOKEN_POLICY.algorithm],
      clockTolerance: EMBED_TOKEN_POLICY.clockToleranceSeconds,
      currentDate: new Date(nowMs),
      requiredClaims: ['exp'],
    });
    return payload;
  } catch (error) {
    return mapJoseError(error);
  }
}

function mapJoseError(error: unknown): undefined {
  const code = (error as { code?: string }).code;
  const claim = (error as { claim?: string }).claim;

  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return undefined;
  if (code === 'ERR_JWT_EXPIRED') {
    throw new AppError('token_expired', 'The token has expired', { reason: 'expired' });
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf') {
    throw new AppError('token_not_yet_valid', 'The token is not valid yet', {
      reason: 'not_yet_valid',
    });
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' || code === 'ERR_JWT_INVALID') {
    throw invalidClaims(claim ?? 'payload');
  }
  throw invalidToken('malformed');
}

function checkClaims(payload: JWTPayload, nowMs: number): EmbedClaims {
  const parsed = embedClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const claim = parsed.error.issues[0]?.path.join('.') || 'payload';
    throw invalidClaims(claim);
  }

  const latestExp = nowMs / 1000 + EMBED_TOKEN_POLICY.maxLifetimeSeconds;
  if (parsed.data.exp > latestExp) {
    throw new AppError('token_lifetime_too_long', 'The token expires more than 24 hours ahead', {
      reason: 'lifetime_too_long',
    });
  }
  return parsed.data;
}

function invalidToken(reason: string): AppError {
  return new AppError('invalid_token', 'The token could not be verified', { reason });
}

function invalidClaims(claim: string): AppError {
  return new AppError('invalid_claims', `The token claim '${claim}' is missing or invalid`, {
    reason: 'invalid_claims',
  });
}
