import { z } from 'zod';
import { API_KEY_POLICY } from '../config/api-key-policy.js';
import { rotateApiKey } from '../core/api-keys.js';
import { authenticateApiKey, invalidApiKey } from '../core/partner-auth.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';
import { bearerCredential, parseBody } from '../http/request.js';

const bodySchema = z
  .object({
    expire_previous_in_seconds: z.number().int().min(0).max(API_KEY_POLICY.maxOverlapSeconds),
  })
  .partial();

/**
 * Replaces the calling partner's API key. Only the current key may do so (a previous key in
 * its overlap gets 403). The new key is in this response and nowhere else; the key that
 * authenticated the call stops working at once unless the body asks for an overlap.
 */
export const handler = defineHandler('partner-api-key-generate', async (request) => {
  const { runtime, event } = request;
  const { partnerId } = partnerOf(request);
  const body = parseBody(event, bodySchema);

  // The authorizer's answer may be cached: re-verify the key that is calling right now.
  const caller = await authenticateApiKey(runtime.table, bearerCredential(event), runtime.clock);
  if (caller.partnerId !== partnerId) throw invalidApiKey();

  const issued = await rotateApiKey(
    runtime.table,
    runtime.clock,
    partnerId,
    body.expire_previous_in_seconds ?? 0,
    { currentKeyHash: caller.keyHash },
  );
  request.audit.detail({
    key_prefix: issued.prefix,
    previous_key_overlap_seconds: body.expire_previous_in_seconds ?? 0,
  });

  return {
    body: {
      api_key: issued.apiKey,
      prefix: issued.prefix,
      created_at: issued.createdAt,
      previous_key_expires_at: issued.previousExpiresAt ?? null,
    },
  };
});
