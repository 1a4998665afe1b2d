import { AppError } from '../core/errors.js';

/**
 * Page cursors are the store's last evaluated key, base64url-encoded. A cursor is only accepted
 * for the partition it came from, so a caller cannot steer a query into someone else's data.
 */
export function encodeCursor(lastKey: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(lastKey)).toString('base64url');
}

export function decodeCursor(cursor: string, expectedPk: string): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }

  const record = key as Record<string, unknown> | null;
  if (!record || typeof record !== 'object' || record.pk !== expectedPk) throw invalidCursor();
  if (typeof record.sk !== 'string') throw invalidCursor();
  return record;
}

function invalidCursor(): AppError {
  return new AppError('validation_failed', 'The cursor is not valid for this listing');
}
