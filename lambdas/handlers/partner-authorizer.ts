import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { recordApiKeyAuthentication, type ApiKeyAttempt } from '../core/api-key-audit.js';
import { AppError } from '../core/errors.js';
import { authenticateApiKey, type VerifiedPartnerKey } from '../core/partner-auth.js';
import { logFailedAuthentications } from '../http/audit-trail.js';
import { describeFailure } from '../http/failures.js';
import { logger } from '../http/logger.js';
import { header } from '../http/request.js';
import { getRuntime, type Runtime } from '../runtime/runtime.js';

/** What the authorizer hands to partner-route handlers in `requestContext.authorizer`. */
export interface PartnerAuthorizerContext {
  readonly partner_id: string;
  readonly key_prefix: string;
  readonly tier: string;
}

/**
 * The Lambda REQUEST authorizer in front of every partner route: it verifies the partner API key,
 * hands the partner id to the route, and names the partner's usage-plan key so API Gateway
 * throttles and meters each partner on its own plan. A bad key is API Gateway's 401; a failure
 * of the store is thrown as is, which API Gateway answers with a 5xx rather than calling a good
 * key bad.
 */
export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> {
  const runtime = await getRuntime();
  const credential = header(event, 'authorization')?.match(/^Bearer (\S+)$/)?.[1];
  const origin = {
    ip: event.requestContext?.identity?.sourceIp ?? 'unknown',
    userAgent: header(event, 'user-agent') ?? '',
  };

  let verified: VerifiedPartnerKey;
  try {
    verified = await authenticateApiKey(runtime.table, credential ?? '', runtime.clock);
  } catch (error) {
    if (!(error instanceof AppError)) {
      logger.error('partner key check failed', { outcome: 'error', ...describeFailure(error) });
      throw error;
    }
    logger.info('partner key refused', { outcome: 'invalid_api_key' });
    await audit(runtime, { ...origin, presented: credential });
    throw new Error('Unauthorized', { cause: error });
  }

  logger.info('partner key accepted', { partner_id: verified.partnerId, outcome: 'ok' });
  await audit(runtime, { ...origin, principal: verified });
  return allow(event.methodArn, verified);
}

/** Records the attempt; a failed audit write is logged and never changes the answer. */
async function audit(runtime: Runtime, attempt: ApiKeyAttempt): Promise<void> {
  try {
    const record = await recordApiKeyAuthentication(runtime, attempt);
    logFailedAuthentications([record]);
  } catch (error) {
    if (!attempt.principal) {
      logger.warn('authentication failed', {
        auth_failed: true,
        event_type: 'api_key_authenticated',
      });
    }
    logger.error('audit record failed', { route: 'partner-authorizer', ...describeFailure(error) });
  }
}

/**
 * Allows every partner route of this stage, not just the one called: API Gateway caches the
 * result per key, and a policy naming one method would wrongly deny the partner's next route.
 */
function allow(methodArn: string, verified: VerifiedPartnerKey): APIGatewayAuthorizerResult {
  const [apiArn, stage] = methodArn.split('/');
  const context: PartnerAuthorizerContext = {
    partner_id: verified.partnerId,
    key_prefix: verified.keyPrefix,
    tier: verified.tier,
  };
  return {
    principalId: verified.partnerId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${apiArn}/${stage}/*/*` },
      ],
    },
    context: { ...context },
    ...(verified.usageKey ? { usageIdentifierKey: verified.usageKey } : {}),
  };
}
