import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_KEY_POLICY } from '../../lambdas/config/api-key-policy.js';
import { PARTNER_TIERS, PARTNER_TIER_NAMES } from '../../lambdas/config/partner-tiers.js';
import { EMBED_AUTH_LIMIT_PER_MINUTE } from '../../lambdas/config/session-policy.js';
import { ROUTES } from '../../lambdas/routes.js';
import { usagePlanOutput } from '../../lib/stack-outputs.js';
import { platformTemplate, synthResult } from '../support/template.js';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const resources = () => synthResult().template.Resources as Resources;

/** The path of an API Gateway resource, rebuilt by walking its parents to the root. */
function pathOf(resourceId: unknown): string {
  const ref = (resourceId as { Ref?: string }).Ref;
  if (!ref) return '';
  const resource = resources()[ref]!;
  return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
}

function methodOf(method: string, path: string) {
  const found = Object.values(resources()).filter(
    (r) =>
      r.Type === 'AWS::ApiGateway::Method' &&
      r.Properties.HttpMethod === method &&
      pathOf(r.Properties.ResourceId) === path,
  );
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
}

function authorizerLogicalId(): string {
  const ids = Object.entries(resources())
    .filter(([, r]) => r.Type === 'AWS::ApiGateway::Authorizer')
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

describe('partner metering in the stack', () => {
  it('makes one usage plan per tier with its rate, burst and monthly quota', () => {
    const template = platformTemplate();

    template.resourceCountIs('AWS::ApiGateway::UsagePlan', PARTNER_TIER_NAMES.length);
    for (const tier of PARTNER_TIER_NAMES) {
      const limits = PARTNER_TIERS[tier];
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        UsagePlanName: `${tier}-partners`,
        Throttle: { RateLimit: limits.rateLimitPerSecond, BurstLimit: limits.burstLimit },
        Quota: { Limit: limits.monthlyQuota, Period: 'MONTH' },
        ApiStages: [Match.objectLike({ ApiId: Match.anyValue(), Stage: Match.anyValue() })],
      });
    }
    expect(PARTNER_TIERS.standard).toEqual({
      rateLimitPerSecond: 10,
      burstLimit: 20,
      monthlyQuota: 250_000,
    });
    expect(PARTNER_TIERS.premium).toEqual({
      rateLimitPerSecond: 50,
      burstLimit: 100,
      monthlyQuota: 5_000_000,
    });
  });

  it("outputs each tier's usage plan id for the CLI", () => {
    const outputs = synthResult().template.Outputs as Record<string, { Value: unknown }>;

    for (const tier of PARTNER_TIER_NAMES) {
      const ref = (outputs[usagePlanOutput(tier)]?.Value as { Ref: string }).Ref;
      expect(resources()[ref]?.Type).toBe('AWS::ApiGateway::UsagePlan');
      expect(resources()[ref]?.Properties.UsagePlanName).toBe(`${tier}-partners`);
    }
  });

  it('answers a partner without a usage-plan key with a JSON 403', () => {
    platformTemplate().hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'INVALID_API_KEY',
      StatusCode: '403',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"forbidden"') },
    });
  });

  it('takes usage-plan keys from the authorizer, not from a request header', () => {
    platformTemplate().hasResourceProperties('AWS::ApiGateway::RestApi', {
      ApiKeySourceType: 'AUTHORIZER',
    });
  });

  it('caches the authorizer answer per Authorization header for the documented TTL', () => {
    platformTemplate().hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: API_KEY_POLICY.authorizerCacheSeconds,
    });
  });
});

describe('which routes the authorizer guards', () => {
  const partnerRoutes = ROUTES.filter((route) => route.auth === 'partner');
  const otherRoutes = ROUTES.filter((route) => route.auth !== 'partner');

  it.each(partnerRoutes.map((r) => [r.method, r.path]))(
    'puts %s %s behind the key authorizer, metered by a usage-plan key',
    (method, path) => {
      const properties = methodOf(method, path);

      expect(properties.AuthorizationType).toBe('CUSTOM');
      expect(properties.AuthorizerId).toEqual({ Ref: authorizerLogicalId() });
      expect(properties.ApiKeyRequired).toBe(true);
    },
  );

  it.each(otherRoutes.map((r) => [r.method, r.path, r.auth]))(
    'leaves %s %s (%s) to its handler, without the authorizer or a usage key',
    (method, path) => {
      const properties = methodOf(method, path);

      expect(properties.AuthorizationType).toBe('NONE');
      expect(properties.AuthorizerId).toBeUndefined();
      expect(properties.ApiKeyRequired).not.toBe(true);
    },
  );

  it('has at least the two key routes behind the authorizer', () => {
    expect(partnerRoutes.map((r) => r.name)).toEqual(
      expect.arrayContaining(['partner-api-key-generate', 'partner-api-key-info']),
    );
  });
});

describe('the per-IP firewall rule on embed login', () => {
  it('blocks an address past 10 requests in 60 seconds on the embed-auth path with a 429', () => {
    const template = platformTemplate();

    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Action: {
            Block: {
              CustomResponse: Match.objectLike({
                ResponseCode: 429,
                ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }],
              }),
            },
          },
          Statement: {
            RateBasedStatement: {
              Limit: EMBED_AUTH_LIMIT_PER_MINUTE,
              EvaluationWindowSec: 60,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({
                  FieldToMatch: { UriPath: {} },
                  SearchString: '/api/v1/embed/auth',
                }),
              },
            },
          },
        }),
      ]),
    });
    expect(EMBED_AUTH_LIMIT_PER_MINUTE).toBe(10);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('passes cdk-nag with every finding fixed or acknowledged', () => {
    expect(synthResult().nagError).toBeUndefined();
  });
});
