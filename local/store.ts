import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLE_SCHEMAS, type IndexSchema } from '../lambdas/config/table-schema.js';
import { OwnerFile, type StoreRole } from './store-ownership.js';

/** A DynamoDB API endpoint over the twin's data folder, and how to let go of it. */
export interface LocalStore {
  readonly endpoint: string;
  /** True when this process opened the store; false when it borrowed a running twin's. */
  readonly owned: boolean;
  close(): Promise<void>;
}

const OWNER_FILE = 'store-owner.json';
const WAIT_FOR_OWNER_MS = 30_000;

/**
 * Opens the embedded store in `dataDir`. LevelDB lets one process at a time open a folder, so
 * the store belongs to one process, which serves it on a loopback port:
 * - a CLI command borrows the store of a running twin, and waits for another CLI command;
 * - the twin always opens the store itself: it waits for a CLI command to finish, and refuses to
 *   start beside another twin, so no process ever depends on a store that may go away.
 */
export async function openLocalStore(
  dataDir: string,
  role: StoreRole = 'twin',
): Promise<LocalStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const owner = new OwnerFile(join(dataDir, OWNER_FILE));
  const deadline = Date.now() + WAIT_FOR_OWNER_MS;

  while (Date.now() < deadline) {
    if (owner.claim(role)) return serveStore(dataDir, owner, role);

    const current = owner.current();
    if (current?.role === 'twin' && role === 'twin') {
      throw new Error(`Another local twin (pid ${current.pid}) already serves ${dataDir}`);
    }
    if (current?.role === 'twin' && current.endpoint && (await answers(current.endpoint))) {
      return { endpoint: current.endpoint, owned: false, close: async () => {} };
    }
    await sleep(100);
  }
  throw new Error(`The local store in ${dataDir} stayed busy; is another command stuck?`);
}

/** A DynamoDB client for the local store; dynalite accepts any credentials. */
export function localDynamoConfig(endpoint: string) {
  return {
    endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

async function serveStore(dataDir: string, owner: OwnerFile, role: StoreRole) {
  const server = dynalite({
    path: join(dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await createMissingTables(endpoint);
  owner.publish(role, endpoint);

  return {
    endpoint,
    owned: true,
    close: async () => {
      owner.release();
      await closeServer(server);
    },
  } satisfies LocalStore;
}

async function createMissingTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient(localDynamoConfig(endpoint));
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);

  for (const schema of TABLE_SCHEMAS) {
    if (existing.has(schema.localName)) continue;
    const indexes = schema.indexes ?? [];
    const keyAttributes = new Set([
      schema.partitionKey,
      schema.sortKey,
      ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ]);
    await client.send(
      new CreateTableCommand({
        TableName: schema.localName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keyAttributes].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: schema.partitionKey, KeyType: 'HASH' },
          { AttributeName: schema.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.length > 0 ? indexes.map(indexDefinition) : undefined,
      }),
    );
    await waitUntilActive(client, schema.localName);
  }
  client.destroy();
}

function indexDefinition(index: IndexSchema) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

/** dynalite answers CreateTable while the table is still CREATING; writes need it ACTIVE. */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(10);
  }
}

async function answers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({ ...localDynamoConfig(endpoint), maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
