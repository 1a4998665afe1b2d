import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
} from '@aws-sdk/client-api-gateway';
import type { PartnerTier } from '../config/partner-tiers.js';
import type { UsageKey, UsageKeyIssuer } from '../core/usage-keys.js';

/**
 * Makes partners' usage-plan keys in API Gateway. The key value is an identifier for metering,
 * not a credential: partners never see it and API Gateway only accepts it from the authorizer.
 */
export class ApiGatewayUsageKeys implements UsageKeyIssuer {
  constructor(
    private readonly client: Pick<APIGatewayClient, 'send'>,
    /** Each tier's usage plan id, from the stack's outputs. */
    private readonly planIds: Readonly<Record<PartnerTier, string>>,
  ) {}

  async create(partnerId: string, tier: PartnerTier): Promise<UsageKey> {
    const key = await this.client.send(
      new CreateApiKeyCommand({
        name: `partner-${partnerId}`,
        description: `Usage-plan key of partner ${partnerId}`,
        enabled: true,
        generateDistinctId: true,
      }),
    );
    if (!key.id || !key.value) throw new Error('API Gateway returned a key without id or value');

    try {
      await this.attach(key.id, tier);
    } catch (error) {
      // A key on no plan is useless; remove it so a retry starts clean.
      await this.client.send(new DeleteApiKeyCommand({ apiKey: key.id })).catch(() => undefined);
      throw error;
    }
    return { keyId: key.id, value: key.value };
  }

  /**
   * API Gateway lets a key be on only one plan per stage, so the key leaves its old plan first;
   * until it joins the new one (a moment) the partner's calls are refused with 403. If joining
   * fails, the key goes back to its old plan.
   */
  async move(keyId: string, from: PartnerTier, to: PartnerTier): Promise<void> {
    await this.client.send(
      new DeleteUsagePlanKeyCommand({ usagePlanId: this.planIds[from], keyId }),
    );
    try {
      await this.attach(keyId, to);
    } catch (error) {
      await this.attach(keyId, from).catch(() => undefined);
      throw error;
    }
  }

  private async attach(keyId: string, tier: PartnerTier): Promise<void> {
    await this.client.send(
      new CreateUsagePlanKeyCommand({
        usagePlanId: this.planIds[tier],
        keyId,
        keyType: 'API_KEY',
      }),
    );
  }
}
