import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * Answers API Gateway gives on its own, before any function runs, rewritten into the platform's
 * JSON error contract so callers see one error shape whoever answered.
 */
const RESPONSES: readonly [apigw.ResponseType, string, string, string][] = [
  [apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'not_found', 'No such route'],
  [
    apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    '401',
    'missing_credentials',
    'Send Authorization: Bearer <credential>',
  ],
  [apigw.ResponseType.UNAUTHORIZED, '401', 'invalid_api_key', 'The API key is not valid'],
  [apigw.ResponseType.ACCESS_DENIED, '403', 'forbidden', 'Access denied'],
  [apigw.ResponseType.REQUEST_TOO_LARGE, '413', 'payload_too_large', 'The body is too large'],
  [apigw.ResponseType.THROTTLED, '429', 'rate_limited', 'Too many requests; slow down'],
  [apigw.ResponseType.QUOTA_EXCEEDED, '429', 'quota_exceeded', 'The monthly quota is used up'],
  [apigw.ResponseType.DEFAULT_4XX, '400', 'invalid_request', 'The request was not accepted'],
  [apigw.ResponseType.DEFAULT_5XX, '503', 'service_unavailable', 'Try again shortly'],
];

export function addJsonGatewayResponses(api: apigw.RestApi): void {
  for (const [type, statusCode, code, message] of RESPONSES) {
    const retryable = statusCode === '429' || statusCode === '503';
    api.addGatewayResponse(`Gateway${code}${statusCode}`, {
      type,
      statusCode: type === apigw.ResponseType.DEFAULT_4XX ? undefined : statusCode,
      responseHeaders: {
        'Content-Type': "'application/json'",
        ...(retryable ? { 'Retry-After': "'1'" } : {}),
      },
      templates: {
        'application/json': JSON.stringify({ error: { code, message } }),
      },
    });
  }
}
