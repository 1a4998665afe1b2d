import { verifyEmbedToken } from './embed-token.js';
import { upsertMember } from './organizations.js';
import { findPartnerSigningKeys, findSigningKey } from './partners.js';
import { consumeTokenId } from './token-replay.js';
import { startSession, type SessionDeps, type SessionTokens } from './sessions.js';

/** The embed-auth response, in the spec's field names. */
export interface EmbedLoginResult {
  readonly user_id: string;
  readonly organization_id: string;
  readonly is_new_user: boolean;
  readonly session: SessionTokens;
}

/**
 * Exchanges a partner-signed embed token for a platform session: verify the token (and spend
 * it, when it carries a `jti`), make sure the organization and user exist and are current,
 * then open a session for them.
 */
export async function loginWithEmbedToken(
  deps: SessionDeps,
  token: string,
): Promise<EmbedLoginResult & { partnerId: string }> {
  const verified = await verifyEmbedToken(
    token,
    {
      byKeyId: (keyId) => findSigningKey(deps.table, keyId),
      byPartner: (partnerId) => findPartnerSigningKeys(deps.table, partnerId),
    },
    deps.clock.now(),
  );
  const { jti, exp } = verified.claims;
  if (jti !== undefined) await consumeTokenId(deps.table, verified.partnerId, jti, exp);

  const { organization, user, isNewUser } = await upsertMember(
    deps.table,
    deps.clock,
    verified.partnerId,
    verified.claims,
  );

  const session = await startSession(deps, {
    userId: user.userId,
    organizationId: organization.organizationId,
    partnerId: verified.partnerId,
    role: user.role,
  });

  return {
    partnerId: verified.partnerId,
    user_id: user.userId,
    organization_id: organization.organizationId,
    is_new_user: isNewUser,
    session,
  };
}
