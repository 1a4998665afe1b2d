import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import type { PartnerTier, PartnerTierLimits } from '../../lambdas/config/partner-tiers.js';

export interface PartnerUsagePlansProps {
  /** The API whose stage the plans meter. */
  readonly api: apigw.RestApi;
  /** The tiers, each becoming one usage plan with its rate, burst and monthly quota. */
  readonly tiers: Readonly<Record<PartnerTier, PartnerTierLimits>>;
}

/**
 * One API Gateway usage plan per partner tier. Each partner gets its own API Gateway key on its
 * tier's plan (made by `logicnodes partner create --stack`), and the authorizer names that key,
 * so API Gateway throttles and counts every partner separately against its tier's numbers.
 */
export class PartnerUsagePlans extends Construct {
  readonly plans = new Map<PartnerTier, apigw.UsagePlan>();

  constructor(scope: Construct, id: string, props: PartnerUsagePlansProps) {
    super(scope, id);

    for (const [tier, limits] of Object.entries(props.tiers) as [
      PartnerTier,
      PartnerTierLimits,
    ][]) {
      const plan = props.api.addUsagePlan(`${tier}-plan`, {
        name: `${tier}-partners`,
        description: `Partners on the ${tier} tier`,
        throttle: { rateLimit: limits.rateLimitPerSecond, burstLimit: limits.burstLimit },
        quota: { limit: limits.monthlyQuota, period: apigw.Period.MONTH },
        apiStages: [{ api: props.api, stage: props.api.deploymentStage }],
      });
      this.plans.set(tier, plan);
    }

    // A partner with no usage-plan key (onboarded without --stack) is refused before any
    // function runs; answer in the platform's JSON error shape.
    props.api.addGatewayResponse('GatewayNoUsageKey', {
      type: apigw.ResponseType.INVALID_API_KEY,
      statusCode: '403',
      responseHeaders: { 'Content-Type': "'application/json'" },
      templates: {
        'application/json': JSON.stringify({
          error: { code: 'forbidden', message: 'The partner has no usage plan' },
        }),
      },
    });
  }
}
