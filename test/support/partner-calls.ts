import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { toAppError } from '../../lambdas/http/failures.js';
import type { LambdaHandler } from '../../lambdas/http/define-handler.js';
import { errorResponse } from '../../lambdas/http/responses.js';
import { authorizePartnerRequest } from '../../local/partner-authorizer.js';

/**
 * Calls a partner route the way API Gateway does: the REQUEST authorizer first, and the route's
 * handler only with the context of a key it allowed.
 */
export async function callPartnerRoute(
  handler: LambdaHandler,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  let authorized: APIGatewayProxyEvent;
  try {
    authorized = await authorizePartnerRequest(event);
  } catch (error) {
    return errorResponse(toAppError(error));
  }
  return handler(authorized);
}
