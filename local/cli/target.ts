import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoTable } from '../../lambdas/adapters/dynamo-table.js';
import { ENV } from '../../lambdas/config/env-names.js';
import { PLATFORM_TABLE } from '../../lambdas/config/table-schema.js';
import type { Table } from '../../lambdas/core/ports.js';
import { STACK_OUTPUTS } from '../../lib/stack-outputs.js';
import { localDataDir } from '../data-dir.js';
import { localDynamoConfig, openLocalStore } from '../store.js';

/** Where a command acts: a deployed stack, or the local twin's store. */
export interface Target {
  readonly table: Table;
  readonly description: string;
  release(): Promise<void>;
}

/**
 * Picks the store a command works on: `--stack NAME` reads the table from the stack's outputs,
 * `LOGICNODES_TABLE_NAME` names a deployed table directly, and otherwise the local store is used
 * (borrowed from a running twin, or opened for the duration of the command).
 */
export async function openTarget(stackName: string | undefined): Promise<Target> {
  if (stackName) {
    const tableName = await stackOutput(stackName, STACK_OUTPUTS.tableName);
    return remote(tableName, `stack ${stackName}`);
  }

  const tableName = process.env[ENV.tableName];
  if (tableName) return remote(tableName, `table ${tableName}`);

  const store = await openLocalStore(localDataDir(), 'cli');
  return {
    table: new DynamoTable(PLATFORM_TABLE.localName, localDynamoConfig(store.endpoint)),
    description: 'local store',
    release: () => store.close(),
  };
}

function remote(tableName: string, description: string): Target {
  return { table: new DynamoTable(tableName), description, release: async () => {} };
}

async function stackOutput(stackName: string, outputKey: string): Promise<string> {
  const client = new CloudFormationClient({});
  const result = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const output = result.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === outputKey);
  if (!output?.OutputValue) throw new Error(`Stack ${stackName} has no output ${outputKey}`);
  return output.OutputValue;
}
