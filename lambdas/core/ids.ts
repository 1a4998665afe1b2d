import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Our own identifiers for organizations and users: random, never derived from partner input. */
export const newId = (): string => randomUUID();

/** A random token of `bytes` bytes from the system CSPRNG, base64url-encoded. */
export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** SHA-256 for high-entropy random secrets, where a slow hash adds nothing. */
export const sha256 = (value: string): string =>
  createHash('sha256').update(value).digest('base64url');

/**
 * Identifiers partners choose for their organizations and users: printable ASCII up to 128
 * characters, except `%`. Keys encode them, so no character can escape its partition; `%` is
 * excluded so that an id in a URL path decodes to exactly one value, whether or not the gateway
 * in front decoded it already.
 */
export const PARTNER_SUPPLIED_ID = /^[\x21-\x24\x26-\x7e]{1,128}$/;

/** Partner ids appear inside API keys (`pk_<partner>_...`), so they exclude `_`. */
export const PARTNER_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Compares two hashes or secrets without an early exit. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
