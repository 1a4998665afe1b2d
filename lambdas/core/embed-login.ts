import { DISCARD_AUDIT_NOTES, type AuditNotes } from './audit-notes.js';
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
 * then open a session for them. The audit notes learn the partner as soon as its key is found,
 * so a failure later still names it.
 */
export async function loginWithEmbedToken(
  deps: SessionDeps,
  token: string,
  audit: AuditNotes = DISCARD_AUDIT_NOTES,
): Promise<EmbedLoginResult & { partnerId: string }> {
  const noteKey = <T extends { partnerId: string; keyId: string }>(key: T | undefined) => {
    if (key) audit.identify({ partnerId: key.partnerId });
    if (key) audit.detail({ key_id: key.keyId });
    return key;
  };
  const verified = await verifyEmbedToken(
    token,
    {
      byKeyId: async (keyId) => noteKey(await findSigningKey(deps.table, keyId)),
      byPartner: async (partnerId) => {
        const keys = await findPartnerSigningKeys(deps.table, partnerId);
        if (keys.length > 0) audit.identify({ partnerId });
        return keys;
      },
    },
    deps.clock.now(),
  );
  audit.identify({
    partnerId: verified.partnerId,
    orgId: verified.claims.org_id,
    userId: verified.claims.user_id,
    actor: `user:${verified.claims.user_id}`,
  });
  const { jti, exp } = verified.claims;
  if (jti !== undefined) await consumeTokenId(deps.table, verified.partnerId, jti, exp);

  const { organization, user, isNewUser } = await upsertMember(
    deps.table,
    deps.clock,
    verified.partnerId,
    verified.claims,
  );

  audit.identify({ organizationId: organization.organizationId });
  audit.detail({ is_new_user: isNewUser });

  const session = await startSession(deps, {
    userId: user.userId,
    organizationId: organization.organizationId,
    partnerId: verified.partnerId,
    role: user.role,
    partnerOrgId: verified.claims.org_id,
    partnerUserId: verified.claims.user_id,
  });
  audit.emit('session_created', { details: { session_id: session.sessionId } });

  return {
    partnerId: verified.partnerId,
    user_id: user.userId,
    organization_id: organization.organizationId,
    is_new_user: isNewUser,
    session: session.tokens,
  };
}
