import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyEmbedToken, type SigningKeyResolver } from '../../lambdas/core/embed-token.js';
import { AppError } from '../../lambdas/core/errors.js';
import type { PartnerSigningKey } from '../../lambdas/core/partners.js';
import { rsaKeyPair, signEmbedToken, userClaims, type TestPartner } from '../support/partners.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function partner(partnerId: string, keyId: string): TestPartner {
  return { partnerId, keyId, ...rsaKeyPair() };
}

const acme = partner('acme', 'acme-key-1');
const globex = partner('globex', 'globex-key-1');

const resolver: SigningKeyResolver = {
  async byKeyId(keyId) {
    return [acme, globex].map(toSigningKey).find((key) => key.keyId === keyId);
  },
  async byPartner(partnerId) {
    return [acme, globex].map(toSigningKey).filter((key) => key.partnerId === partnerId);
  },
};

function toSigningKey(p: TestPartner): PartnerSigningKey {
  return { keyId: p.keyId, partnerId: p.partnerId, publicKeyPem: p.publicKeyPem };
}

async function rejection(token: string): Promise<AppError> {
  const error = await verifyEmbedToken(token, resolver, NOW).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const sign = (options: Parameters<typeof signEmbedToken>[1] = {}) =>
  signEmbedToken(acme, { nowMs: NOW, ...options });

describe('verifyEmbedToken', () => {
  it('accepts a well-formed token and names the partner that signed it', async () => {
    const verified = await verifyEmbedToken(await sign(), resolver, NOW);

    expect(verified.partnerId).toBe('acme');
    expect(verified.claims).toMatchObject({ user_id: 'user_12345', org_id: 'org_67890' });
    expect(verified.claims.role).toBe('member');
  });

  it('finds the key through iss when the header has no kid', async () => {
    const token = await new SignJWT(userClaims({ iss: 'acme' }))
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime(NOW / 1000 + 600)
      .sign(acme.privateKey);

    const verified = await verifyEmbedToken(token, resolver, NOW);

    expect(verified.partnerId).toBe('acme');
  });

  it('rejects an unsigned token with alg none', async () => {
    const token = new UnsecuredJWT(userClaims()).setExpirationTime(NOW / 1000 + 600).encode();

    const error = await rejection(token);

    expect(error.code).toBe('invalid_token');
    expect(error.reason).toBe('algorithm_not_allowed');
  });

  it('rejects an HS256 token that uses the partner public key as the HMAC secret', async () => {
    const header = b64({ alg: 'HS256', kid: acme.keyId, typ: 'JWT' });
    const payload = b64({ ...userClaims(), exp: NOW / 1000 + 600 });
    const signature = createHmac('sha256', acme.publicKeyPem)
      .update(`${header}.${payload}`)
      .digest('base64url');

    const error = await rejection(`${header}.${payload}.${signature}`);

    expect(error.code).toBe('invalid_token');
  });

  it("rejects a token signed with another partner's key", async () => {
    const forged = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'RS256', kid: acme.keyId })
      .setExpirationTime(NOW / 1000 + 600)
      .sign(globex.privateKey);

    const error = await rejection(forged);

    expect(error.code).toBe('invalid_token');
    expect(error.reason).toBe('bad_signature');
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await sign()).split('.');
    const tampered = b64({ ...userClaims({ org_id: 'someone_elses_org' }), exp: NOW / 1000 + 600 });

    const error = await rejection(`${header}.${tampered}.${signature}`);

    expect(error.code).toBe('invalid_token');
  });

  it('answers an unknown kid exactly as it answers a bad signature', async () => {
    const unknown = await rejection(await sign({ header: { kid: 'nobody-key' } }));
    const forged = await rejection(
      await signEmbedToken({ ...globex, keyId: acme.keyId }, { nowMs: NOW }),
    );

    expect(unknown.code).toBe(forged.code);
    expect(unknown.message).toBe(forged.message);
    expect(unknown.reason).toBe('unknown_key');
  });

  it('rejects a kid that belongs to a different issuer than the token claims', async () => {
    const error = await rejection(await sign({ claims: userClaims({ iss: 'globex' }) }));

    expect(error.code).toBe('invalid_token');
  });

  it.each(['user_id', 'org_id', 'email', 'name'])('rejects a token without %s', async (claim) => {
    const claims = userClaims();
    delete claims[claim];

    const error = await rejection(await sign({ claims }));

    expect(error.code).toBe('invalid_claims');
    expect(error.message).toContain(claim);
  });

  it.each([
    ['user_id', 12345],
    ['org_id', { id: 1 }],
    ['email', 'not-an-email'],
    ['name', ''],
    ['role', 'owner'],
    ['org_name', 42],
  ])('rejects a token whose %s is %j', async (claim, value) => {
    const error = await rejection(await sign({ claims: userClaims({ [claim]: value }) }));

    expect(error.code).toBe('invalid_claims');
  });

  it('rejects a token without exp', async () => {
    const token = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'RS256', kid: acme.keyId })
      .sign(acme.privateKey);

    const error = await rejection(token);

    expect(error.code).toBe('invalid_claims');
  });

  it('rejects an expired token beyond the 60 second tolerance', async () => {
    const error = await rejection(await sign({ ttlSeconds: -61 }));

    expect(error.code).toBe('token_expired');
  });

  it('tolerates up to 60 seconds of clock skew on exp', async () => {
    const verified = await verifyEmbedToken(await sign({ ttlSeconds: -30 }), resolver, NOW);

    expect(verified.partnerId).toBe('acme');
  });

  it('rejects a token used before its nbf', async () => {
    const claims = userClaims({ nbf: NOW / 1000 + 300 });

    const error = await rejection(await sign({ claims }));

    expect(error.code).toBe('token_not_yet_valid');
  });

  it('rejects a token that expires more than 24 hours ahead', async () => {
    const error = await rejection(await sign({ ttlSeconds: 24 * 3600 + 120 }));

    expect(error.code).toBe('token_lifetime_too_long');
  });

  it('rejects an oversized token before parsing it', async () => {
    const error = await rejection('a'.repeat(9000));

    expect(error.code).toBe('invalid_token');
    expect(error.reason).toBe('token_too_large');
  });

  it('rejects garbage that is not a JWT', async () => {
    const error = await rejection('definitely.not.a-jwt');

    expect(error.code).toBe('invalid_token');
  });

  it('rejects an RS256 token signed by a key that is not registered at all', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new SignJWT(userClaims({ iss: 'acme' }))
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime(NOW / 1000 + 600)
      .sign(privateKey);

    const error = await rejection(token);

    expect(error.code).toBe('invalid_token');
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('verifyEmbedToken audience', () => {
  it('accepts a token addressed to logicnodes', async () => {
    const token = await sign({ claims: userClaims({ aud: ['other', 'logicnodes'] }) });

    await expect(verifyEmbedToken(token, resolver, NOW)).resolves.toMatchObject({
      partnerId: 'acme',
    });
  });

  it('refuses a token the partner addressed to another service', async () => {
    const error = await rejection(await sign({ claims: userClaims({ aud: 'billing-service' }) }));

    expect(error.code).toBe('invalid_token');
    expect(error.reason).toBe('audience_mismatch');
  });
});
