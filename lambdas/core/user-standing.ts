import type { Role } from './embed-token.js';
import { AppError, ConditionFailedError } from './errors.js';
import { userKey } from './keys.js';
import type { Clock, Item, Table } from './ports.js';

/**
 * What a user's own record says about one of their sessions right now. Sessions are checked
 * against it on every use, so a role lowered by a later login, a user deleted, or a partner's
 * "revoke this user's sessions" takes effect on the very next request, not when the session
 * would have ended on its own.
 */
export function standingOf(session: Item, user: Item | undefined): Role {
  const revokedUpTo = user?.sessions_revoked_at_ms;
  const createdMs =
    (session.created_ms as number | undefined) ?? Number(session.created_epoch) * 1000;
  const revoked = typeof revokedUpTo === 'number' && createdMs <= revokedUpTo;
  if (!user || revoked) {
    throw new AppError('session_revoked', 'The session was revoked; sign in again');
  }
  return user.role as Role;
}

/** Ends every session the user has now; logging in again starts a new one. */
export async function revokeUserSessions(
  table: Table,
  clock: Clock,
  organizationId: string,
  userId: string,
): Promise<void> {
  try {
    await table.update(userKey(organizationId, userId), {
      set: { sessions_revoked_at_ms: clock.now() },
      onlyIfExists: true,
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    throw new AppError('not_found', 'No user by that id');
  }
}
