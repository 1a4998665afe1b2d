import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { AppError } from '../lambdas/core/errors.js';
import { handler as authorize } from '../lambdas/handlers/partner-authorizer.js';
import { toAppError } from '../lambdas/http/failures.js';
import { header } from '../lambdas/http/request.js';

/**
 * Plays API Gateway's part for partner routes: run the REQUEST authorizer on the request and,
 * when it allows, hand its context to the route as `requestContext.authorizer`. A refusal is the
 * same 401 the deployed gateway answers; an authorizer that fails is a 5xx, as there.
 */
export async function authorizePartnerRequest(
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyEvent> {
  // The deployed API's request validator refuses a partner call without the header outright.
  if (header(event, 'authorization') === undefined) {
    throw new AppError('missing_credentials', 'Send Authorization: Bearer <credential>');
  }

  const stageArn = 'arn:aws:execute-api:local:000000000000:local/local';
  const authorizerEvent = {
    type: 'REQUEST',
    methodArn: `${stageArn}/${event.httpMethod}${event.path}`,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    pathParameters: event.pathParameters,
    stageVariables: event.stageVariables,
    requestContext: event.requestContext,
  } as APIGatewayRequestAuthorizerEvent;

  let result;
  try {
    result = await authorize(authorizerEvent);
  } catch (error) {
    if ((error as Error).message !== 'Unauthorized') throw toAppError(error);
    throw new AppError('invalid_api_key', 'The API key is not valid');
  }

  const allowed = result.policyDocument.Statement.some(
    (statement) => 'Effect' in statement && statement.Effect === 'Allow',
  );
  if (!allowed) throw new AppError('forbidden', 'Access denied');

  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: { ...result.context, principalId: result.principalId },
    },
  };
}
