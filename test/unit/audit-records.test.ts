import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { KmsAuditSigner, type KmsSend } from '../../lambdas/adapters/kms-audit-signer.js';
import { AUDIT_EVENT_TYPES } from '../../lambdas/core/audit-events.js';
import { safeDetails, toAuditRecord } from '../../lambdas/core/audit.js';
import { AppError } from '../../lambdas/core/errors.js';
import { AuditTrail } from '../../lambdas/http/audit-trail.js';
import { ROUTES } from '../../lambdas/routes.js';

const origin = { ip: '203.0.113.1', userAgent: 'test' };

describe('audit records', () => {
  it('keep ids, codes and counts in details and drop what could hold a secret or PII', () => {
    const kept = safeDetails({
      session_id: 's1',
      key_prefix: 'pk_acme_abcdef',
      record_count: 3,
      token: 'eyJ...',
      refresh_token: 'v1.x',
      email: 'a@b.test',
      name: 'John',
      secret_value: 'sk_live',
      api_key: 'pk_acme_full',
      key_hash: 'x',
      'Bad Key': 'x',
      long_text: 'x'.repeat(500),
    });

    expect(kept).toEqual({ session_id: 's1', key_prefix: 'pk_acme_abcdef', record_count: 3 });
  });

  it('carry a failure reason only when they record a failure', () => {
    const base = { type: 'logout' as const, actor: 'anonymous', ...origin, reason: 'expired' };

    expect(toAuditRecord({ ...base, success: true }, 0).reason).toBeUndefined();
    expect(toAuditRecord({ ...base, success: false }, 0).reason).toBe('expired');
  });
});

describe('the route table and the audit log', () => {
  it('declares, for every route, its audit events or why it has none', () => {
    for (const route of ROUTES) {
      expect(route.audit, route.name).toBeDefined();
      const audit = route.audit as { event?: string; none?: string };
      if (audit.none !== undefined) expect(audit.none.length).toBeGreaterThan(20);
      else expect(AUDIT_EVENT_TYPES).toContain(audit.event);
    }
  });

  it('refuses an event a route did not declare', () => {
    const trail = new AuditTrail('embed-logout', { event: 'logout' }, origin);

    expect(() => trail.emit('session_revoked')).toThrow('without declaring it');
    expect(() => trail.classify('secret_created')).toThrow('without declaring it');
  });

  it('records a create-or-update route as the event its logic names', () => {
    const declared = { event: 'secret_updated', also: ['secret_created'] } as const;
    const trail = new AuditTrail('partner-secret-put', declared, origin);

    trail.classify('secret_created');

    expect(trail.records(0).map((r) => r.event_type)).toEqual(['secret_created']);
  });

  it('records the route event as a failure with the AppError reason, then declared extras', () => {
    const trail = new AuditTrail(
      'embed-refresh',
      { event: 'session_refreshed', also: ['session_revoked'] },
      origin,
    );
    trail.identify({ partnerId: 'acme', userId: 'u1' });
    trail.emit('session_revoked', { details: { cause: 'refresh_token_reused' } });

    const failure = new AppError('refresh_token_reused', 'reused');
    const [main, extra] = trail.records(Date.parse('2026-11-01T00:00:00Z'), failure);

    expect(main).toMatchObject({
      event_type: 'session_refreshed',
      success: false,
      reason: 'refresh_token_reused',
    });
    expect(extra).toMatchObject({
      event_type: 'session_revoked',
      success: true,
      partner_id: 'acme',
    });
  });

  it('records nothing for a route that declares no event', () => {
    const trail = new AuditTrail('me', { none: 'reads only' }, origin);

    expect(trail.records(0)).toEqual([]);
  });
});

describe('the KMS seal signer', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  /** Stands in for KMS at the adapter boundary: signs RAW messages as ECDSA_SHA_256 does. */
  const fakeKms: KmsSend = {
    send: (async (command: unknown) => {
      if (command instanceof SignCommand) {
        expect(command.input).toMatchObject({
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        });
        return { Signature: sign('sha256', Buffer.from(command.input.Message!), privateKey) };
      }
      if (command instanceof GetPublicKeyCommand) {
        return { PublicKey: publicKey.export({ type: 'spki', format: 'der' }) };
      }
      throw new Error('unexpected command');
    }) as KmsSend['send'],
  };

  it('signs with the key in KMS and serves the public key as PEM that verifies it', async () => {
    const signer = new KmsAuditSigner('arn:aws:kms:eu-north-1:123456789012:key/abc', fakeKms);

    const signature = await signer.sign('statement');
    const pem = await signer.publicKeyPem();

    expect(pem).toContain('BEGIN PUBLIC KEY');
    expect(verify('sha256', Buffer.from('statement'), pem, Buffer.from(signature, 'base64'))).toBe(
      true,
    );
    expect(await signer.keyId()).toBe('arn:aws:kms:eu-north-1:123456789012:key/abc');
  });
});
