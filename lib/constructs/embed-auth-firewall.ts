import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface EmbedAuthFirewallProps {
  readonly stage: apigw.Stage;
  /** The path the per-IP limit protects. */
  readonly path: string;
  /** Requests per client IP per window. */
  readonly limit: number;
  /** @default 60 */
  readonly windowSeconds?: number;
  /**
   * Requests one client IP may make to any path in five minutes. Stage throttles are shared by
   * every caller of a method, so without this one noisy address could starve all tenants.
   * @default 3000
   */
  readonly anyPathLimitPerFiveMinutes?: number;
}

/**
 * A WAF web ACL on the API stage that limits how often one client IP may call embed
 * authentication (and, more loosely, any path), so a brute-force or token-stuffing run is cut
 * off at the edge before it costs a function invocation. The handlers keep their own limiter
 * too; this one cannot be bypassed by spreading requests across containers.
 */
export class EmbedAuthFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EmbedAuthFirewallProps) {
    super(scope, id);

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('LogicNodesApi'),
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: { code: 'rate_limited', message: 'Too many sign-in attempts; slow down' },
          }),
        },
        tooManyRequests: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: { code: 'rate_limited', message: 'Too many requests from this address' },
          }),
        },
      },
      rules: [
        {
          name: 'EmbedAuthPerIp',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rateLimited',
                responseHeaders: [
                  { name: 'Retry-After', value: String(props.windowSeconds ?? 60) },
                ],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.limit,
              evaluationWindowSec: props.windowSeconds ?? 60,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'CONTAINS',
                  searchString: props.path,
                  textTransformations: [
                    { priority: 0, type: 'URL_DECODE' },
                    { priority: 1, type: 'LOWERCASE' },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility('EmbedAuthPerIp'),
        },
        {
          name: 'AnyPathPerIp',
          priority: 1,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'tooManyRequests',
                responseHeaders: [{ name: 'Retry-After', value: '300' }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.anyPathLimitPerFiveMinutes ?? 3000,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('AnyPathPerIp'),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}
