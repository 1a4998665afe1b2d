import { AppError, ConditionFailedError } from './errors.js';
import { encodeKeyPart } from './keys.js';
import type { Table } from './ports.js';

/**
 * Makes an embed token that carries a `jti` single-use: the first exchange records the id until
 * the token expires, and any later exchange of the same token is refused. Tokens without a
 * `jti` stay reusable until they expire, as the spec allows; partners who want a stolen token
 * to be worthless once used add one.
 */
export async function consumeTokenId(
  table: Table,
  partnerId: string,
  tokenId: string,
  expiresAtSeconds: number,
): Promise<void> {
  try {
    await table.put(
      {
        pk: `EMBED_TOKEN#${partnerId}#${encodeKeyPart(tokenId)}`,
        sk: 'USED',
        ttl: expiresAtSeconds + 120,
      },
      { onlyIfAbsent: true },
    );
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    throw new AppError('token_replayed', 'This token was already used; sign a new one', {
      reason: 'replayed',
    });
  }
}
