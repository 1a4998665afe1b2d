import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';
import { parseQuery } from '../http/request.js';

const DAY_MS = 86_400_000;
/** The widest range one call returns: a year of daily seals is a few hundred small items. */
const MAX_DAYS = 366;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isCalendarDate, { message: 'must be a real calendar date' });

/** `2026-02-30` matches the pattern but is no day: it must survive a round trip. */
function isCalendarDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}
const querySchema = z.object({
  partner_id: z.string().max(64).optional(),
  from: day.optional(),
  to: day.optional(),
});

/**
 * The partner's signed daily digests and the key that verifies them. With its own export, a
 * partner can recompute each day's digest and check the chain and signatures without us.
 */
export const handler = defineHandler('audit-log-digests', async (request) => {
  const caller = partnerOf(request).partnerId;
  const query = parseQuery(request.event, querySchema);
  if (query.partner_id !== undefined && query.partner_id !== caller) {
    throw new AppError('forbidden', 'You can only read your own audit digests');
  }

  const { runtime } = request;
  const to = query.to ?? new Date(runtime.clock.now()).toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString().slice(0, 10);
  if (from > to || Date.parse(to) - Date.parse(from) >= MAX_DAYS * DAY_MS) {
    throw new AppError('validation_failed', `'from' must be before 'to' and at most a year apart`);
  }

  const [digests, keyId, publicKeyPem] = await Promise.all([
    runtime.auditLog.seals(caller, from, to),
    runtime.auditSigner.keyId(),
    runtime.auditSigner.publicKeyPem(),
  ]);

  return {
    body: {
      from,
      to,
      signing_key: { key_id: keyId, algorithm: 'ECDSA_SHA_256', public_key_pem: publicKeyPem },
      digests,
    },
  };
});
