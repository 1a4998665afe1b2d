import { describeApiKeys } from '../core/api-keys.js';
import { AppError } from '../core/errors.js';
import { defineHandler, partnerOf } from '../http/define-handler.js';

/** The calling partner's key as it may be seen: prefix and times, never the key or its hash. */
export const handler = defineHandler('partner-api-key-info', async (request) => {
  const { runtime } = request;
  const { partnerId } = partnerOf(request);

  const { current, previous } = await describeApiKeys(runtime.table, runtime.clock, partnerId);
  if (!current) throw new AppError('not_found', 'The partner has no API key');

  return {
    body: {
      prefix: current.prefix,
      created_at: current.createdAt,
      last_used_at: current.lastUsedAt ?? null,
      previous_key: previous
        ? {
            prefix: previous.prefix,
            expires_at: previous.expiresAt,
            last_used_at: previous.lastUsedAt ?? null,
          }
        : null,
    },
  };
});
