import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { registerPartner } from '../../lambdas/core/partners.js';
import type { Runtime } from '../../lambdas/runtime/runtime.js';

export interface TestPartner {
  readonly partnerId: string;
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
}

/** A fresh RSA key pair, as a partner would make with openssl. */
export function rsaKeyPair(bits = 2048) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Registers a partner with a new key pair in the test store. */
export async function onboardPartner(runtime: Runtime, partnerId: string): Promise<TestPartner> {
  const { privateKey, publicKeyPem } = rsaKeyPair();
  const { keyId } = await registerPartner(runtime.table, runtime.clock, {
    partnerId,
    name: `Partner ${partnerId}`,
    publicKeyPem,
  });
  return { partnerId, keyId, privateKey, publicKeyPem };
}

export interface EmbedTokenOptions {
  readonly claims?: JWTPayload;
  readonly header?: Record<string, unknown>;
  /** Seconds from `nowMs` until expiry. @default 3600 */
  readonly ttlSeconds?: number;
  readonly nowMs?: number;
}

/** The claims a partner's backend puts in an embed token for one of its users. */
export function userClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    user_id: 'user_12345',
    org_id: 'org_67890',
    email: 'john@acme.test',
    name: 'John Doe',
    org_name: 'Acme Corporation',
    ...overrides,
  };
}

/** Signs an embed token with the partner's private key, naming its key by `kid`. */
export function signEmbedToken(partner: TestPartner, options: EmbedTokenOptions = {}) {
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  return new SignJWT(options.claims ?? userClaims())
    .setProtectedHeader({ alg: 'RS256', kid: partner.keyId, ...options.header })
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .sign(partner.privateKey);
}
