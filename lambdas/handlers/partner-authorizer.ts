import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { recordApiKeyAuthentication, type ApiKeyAttempt } from '../core/api-key-audit.js';
import { authenticateApiKey } from '../core/partner-auth.js';
import { logFailedAuthentications } from '../http/audit-trail.js';
import { describeFailure } from '../http/failures.js';
import { logger } from '../http/logger.js';
import { getRuntime, type Runtime } from '../runtime/runtime.js';

/** What the authorizer hands to partner-route handlers in `requestContext.authorizer`. */
export interface PartnerAuthorizerContext {
  readonly partner_id: string;
  readonly key_prefix: string;
}

/**
 * The Lambda REQUEST authorizer in front of every partner route: it verifies the partner API key
 * and hands the partner id to the route. Any failure is API Gateway's plain 401.
 */
export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> {
  const runtime = await getRuntime();
  const credential = bearerOf(event.headers ?? {});
  const origin = {
    ip: event.requestContext?.identity?.sourceIp ?? 'unknown',
    userAgent: headerOf(event.headers ?? {}, 'user-agent') ?? '',
  };

  try {
    const principal = await authenticateApiKey(runtime.table, credential ?? '');
    logger.info('partner key accepted', { partner_id: principal.partnerId, outcome: 'ok' });
    await audit(runtime, { ...origin, principal });
    return allow(event.methodArn, principal.partnerId, {
      partner_id: principal.partnerId,
      key_prefix: principal.keyPrefix,
    });
  } catch (error) {
    logger.info('partner key refused', { outcome: 'invalid_api_key' });
    await audit(runtime, { ...origin, presented: credential });
    throw new Error('Unauthorized', { cause: error });
  }
}

function bearerOf(headers: Record<string, string | undefined>): string | undefined {
  return headerOf(headers, 'authorization')?.match(/^Bearer (\S+)$/)?.[1];
}

function headerOf(headers: Record<string, string | undefined>, wanted: string) {
  return Object.entries(headers).find(([name]) => name.toLowerCase() === wanted)?.[1];
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
function allow(
  methodArn: string,
  principalId: string,
  context: PartnerAuthorizerContext,
): APIGatewayAuthorizerResult {
  const [apiArn, stage] = methodArn.split('/');
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${apiArn}/${stage}/*/*` },
      ],
    },
    context: { ...context },
  };
}
