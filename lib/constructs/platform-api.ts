import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_KEY_POLICY } from '../../lambdas/config/api-key-policy.js';
import type { Grant, Route } from '../../lambdas/routes.js';
import { addJsonGatewayResponses } from './gateway-responses.js';
import { lambdaEntry } from './paths.js';
import { PlatformFunction } from './platform-function.js';

/** How each grant a route declares is given to its function; one entry per grant. */
export type GrantBinder = Record<Grant, (fn: PlatformFunction) => void>;

export interface PlatformApiProps {
  readonly routes: readonly Route[];
  readonly grants: GrantBinder;
  /**
   * Steady request rate of each method, shared by all its callers; partners are throttled
   * further by their usage plans, and single addresses by the firewall. @default 1000
   */
  readonly rateLimit?: number;
  /** Burst of each method. @default 2000 */
  readonly burstLimit?: number;
  /**
   * Whether this stack sets the account's API Gateway logging role. The setting is one per
   * account and region, so a second stack there must leave it to the first.
   * @default true
   */
  readonly manageAccountLogging?: boolean;
}

/**
 * The REST API built from the route table: one function per route with exactly the grants the
 * route declares, access and execution logs (never bodies), tracing, stage throttling, and a
 * fallback that answers 404 or 405 in the platform's JSON error shape.
 */
export class PlatformApi extends Construct {
  readonly api: apigw.RestApi;
  readonly functions = new Map<string, PlatformFunction>();
  /** The partner API key authorizer's function, once a partner route exists. */
  partnerAuthorizerFunction?: PlatformFunction;
  private partnerAuthorizer?: apigw.RequestAuthorizer;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      description: 'LogicNodes partner platform API',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Partners are metered by the usage-plan key their API key's authorizer names.
      apiKeySourceType: apigw.ApiKeySourceType.AUTHORIZER,
      ...(props.manageAccountLogging === false
        ? { cloudWatchRole: false }
        : { cloudWatchRole: true, cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY }),
      deployOptions: {
        stageName: 'prod',
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.rateLimit ?? 1000,
        throttlingBurstLimit: props.burstLimit ?? 2000,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    addJsonGatewayResponses(this.api);

    const credentialsRequired = this.api.addRequestValidator('RequireCredentials', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const fallback = new apigw.LambdaIntegration(
      new PlatformFunction(this, 'Fallback', {
        entry: lambdaEntry('handlers/fallback.ts'),
        description: 'answers for paths and methods no route takes',
        memorySize: 256,
      }).function,
    );
    const catchAll = this.api.root.addProxy({ defaultIntegration: fallback, anyMethod: true });
    acknowledgeOpenMethod(catchAll.anyMethod!, FALLBACK_IS_OPEN);
    acknowledgeOpenMethod(this.api.root.node.findChild('ANY'), FALLBACK_IS_OPEN);

    for (const route of props.routes) {
      this.addRoute(route, props.grants, fallback, credentialsRequired);
    }
  }

  private addRoute(
    route: Route,
    grants: GrantBinder,
    fallback: apigw.Integration,
    credentialsRequired: apigw.RequestValidator,
  ): void {
    const fn = new PlatformFunction(this, pascalCase(route.name), {
      entry: lambdaEntry(`handlers/${route.name}.ts`),
      description: `${route.method} ${route.path}`,
    });
    for (const grant of route.grants) grants[grant](fn);
    const recordsEvents = route.audit !== undefined && 'event' in route.audit;
    if (recordsEvents && !route.grants.includes('audit:write')) grants['audit:write'](fn);
    this.functions.set(route.name, fn);

    const resource = this.api.root.resourceForPath(route.path);
    const needsCredentials = route.auth !== 'public';
    const method = resource.addMethod(route.method, new apigw.LambdaIntegration(fn.function), {
      authorizer: route.auth === 'partner' ? this.authorizerFor(grants) : undefined,
      // Usage plans throttle and meter only methods that require a key.
      apiKeyRequired: route.auth === 'partner',
      requestValidator: needsCredentials ? credentialsRequired : undefined,
      requestParameters: needsCredentials
        ? { 'method.request.header.Authorization': true }
        : undefined,
    });

    if (route.auth !== 'partner') acknowledgeOpenMethod(method, HANDLER_AUTHENTICATES[route.auth]);
    else {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG4',
        reason: PARTNER_KEYS,
      });
    }

    if (!resource.node.tryFindChild('ANY')) {
      acknowledgeOpenMethod(resource.addMethod('ANY', fallback), FALLBACK_IS_OPEN);
    }
    if (route.auth !== 'partner' && !resource.node.tryFindChild('OPTIONS')) {
      const preflight = resource.addCorsPreflight({
        allowOrigins: apigw.Cors.ALL_ORIGINS,
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: apigw.Cors.ALL_METHODS,
      });
      acknowledgeOpenMethod(preflight, PREFLIGHT_IS_OPEN);
    }
  }

  /** The partner API key authorizer, created with the first partner route. */
  private authorizerFor(grants: GrantBinder): apigw.RequestAuthorizer {
    if (this.partnerAuthorizer) return this.partnerAuthorizer;

    const fn = new PlatformFunction(this, 'PartnerAuthorizer', {
      entry: lambdaEntry('handlers/partner-authorizer.ts'),
      description: 'partner API key authorizer',
    });
    // It reads the partner's key hashes and writes `last_used_at`, at most once a minute.
    grants['table:read'](fn);
    grants['audit:write'](fn);
    this.partnerAuthorizerFunction = fn;
    grants['table:write'](fn);

    this.partnerAuthorizer = new apigw.RequestAuthorizer(this, 'PartnerKeyAuthorizer', {
      handler: fn.function,
      identitySources: [apigw.IdentitySource.header('Authorization')],
      resultsCacheTtl: PARTNER_AUTHORIZER_CACHE_TTL,
    });
    return this.partnerAuthorizer;
  }
}

/**
 * How long API Gateway reuses an authorizer's answer for the same Authorization header. It is
 * the longest a revoked or rotated-out key can keep working.
 */
export const PARTNER_AUTHORIZER_CACHE_TTL = Duration.seconds(API_KEY_POLICY.authorizerCacheSeconds);

const PARTNER_KEYS =
  'Partners are backends, not Cognito users: every partner method is behind the Lambda REQUEST ' +
  'authorizer, which verifies the partner API key (bcrypt) against the table on every call ' +
  'it is invoked for, and returns the usage-plan key that throttles and meters the partner.';
const FALLBACK_IS_OPEN =
  'Answers 404 or 405 for paths and methods no route takes; it reads no data and runs no logic.';
const PREFLIGHT_IS_OPEN =
  'CORS preflight answered by API Gateway itself (mock integration); browsers send it without ' +
  'credentials by design, and it reaches no function.';
const HANDLER_AUTHENTICATES = {
  public:
    'Embed login and refresh are where identity is established: the request body carries a ' +
    'partner-signed RS256 JWT or a single-use refresh token, verified by the handler, and the ' +
    'per-IP WAF rule limits attempts.',
  session:
    'Authenticated in the handler on every request: the platform access token is verified ' +
    '(HS256, issuer, audience, expiry) and its session must still be live in the table. ' +
    'API Gateway also rejects requests without an Authorization header.',
} as const;

/** Records why a method has no API Gateway authorizer, for APIG4 and COG4. */
function acknowledgeOpenMethod(scope: Construct, reason: string): void {
  for (const id of ['AwsSolutions::AwsSolutions-APIG4', 'AwsSolutions::AwsSolutions-COG4']) {
    Validations.of(scope).acknowledge({ id, reason });
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
}
