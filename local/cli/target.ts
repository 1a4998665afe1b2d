import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ApiGatewayUsageKeys } from '../../lambdas/adapters/api-gateway-usage-keys.js';
import { DynamoTable } from '../../lambdas/adapters/dynamo-table.js';
import { ENV } from '../../lambdas/config/env-names.js';
import { PARTNER_TIER_NAMES, type PartnerTier } from '../../lambdas/config/partner-tiers.js';
import { PLATFORM_TABLE } from '../../lambdas/config/table-schema.js';
import type { Table } from '../../lambdas/core/ports.js';
import type { UsageKeyIssuer } from '../../lambdas/core/usage-keys.js';
import { STACK_OUTPUTS, usagePlanOutput } from '../../lib/stack-outputs.js';
import { localDataDir } from '../data-dir.js';
import { localDynamoConfig, openLocalStore } from '../store.js';

/** Where a command acts: a deployed stack, or the local twin's store. */
export interface Target {
  readonly table: Table;
  readonly description: string;
  /** Makes partners' usage-plan keys; only a target named by `--stack` has usage plans. */
  readonly usageKeys?: UsageKeyIssuer;
  /** True for a deployed table, where partners also need an API Gateway usage-plan key. */
  readonly deployed: boolean;
  release(): Promise<void>;
}

/**
 * Picks the store a command works on: `--stack NAME` reads the table from the stack's outputs,
 * `LOGICNODES_TABLE_NAME` names a deployed table directly, and otherwise the local store is used
 * (borrowed from a running twin, or opened for the duration of the command).
 */
export async function openTarget(stackName: string | undefined): Promise<Target> {
  if (stackName) {
    const outputs = await stackOutputs(stackName);
    const planIds = Object.fromEntries(
      PARTNER_TIER_NAMES.map((tier) => [tier, outputs.require(usagePlanOutput(tier))]),
    ) as Record<PartnerTier, string>;
    return {
      ...remote(outputs.require(STACK_OUTPUTS.tableName), `stack ${stackName}`),
      usageKeys: new ApiGatewayUsageKeys(new APIGatewayClient({}), planIds),
    };
  }

  const tableName = process.env[ENV.tableName];
  if (tableName) return remote(tableName, `table ${tableName}`);

  const store = await openLocalStore(localDataDir(), 'cli');
  return {
    table: new DynamoTable(PLATFORM_TABLE.localName, localDynamoConfig(store.endpoint)),
    description: 'local store',
    deployed: false,
    release: () => store.close(),
  };
}

function remote(tableName: string, description: string): Target {
  return {
    table: new DynamoTable(tableName),
    description,
    deployed: true,
    release: async () => {},
  };
}

async function stackOutputs(stackName: string) {
  const client = new CloudFormationClient({});
  const result = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = result.Stacks?.[0]?.Outputs ?? [];

  return {
    require(outputKey: string): string {
      const value = outputs.find((o) => o.OutputKey === outputKey)?.OutputValue;
      if (!value) throw new Error(`Stack ${stackName} has no output ${outputKey}`);
      return value;
    },
  };
}
