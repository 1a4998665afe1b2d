import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLE_SCHEMAS } from '../lambdas/config/table-schema.js';

/** A DynamoDB API endpoint over the twin's data folder, and how to let go of it. */
export interface LocalStore {
  readonly endpoint: string;
  /** True when this process opened the store; false when it borrowed a running twin's. */
  readonly owned: boolean;
  close(): Promise<void>;
}

const OWNER_FILE = 'store-owner.json';
const WAIT_FOR_OWNER_MS = 10_000;

/**
 * Opens the embedded store in `dataDir`. LevelDB lets one process at a time open a folder, so
 * whoever opens it first serves it on a loopback port and records that port; every other
 * process (the CLI beside a running server) talks to that endpoint instead.
 */
export async function openLocalStore(dataDir: string): Promise<LocalStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ownerPath = join(dataDir, OWNER_FILE);
  const deadline = Date.now() + WAIT_FOR_OWNER_MS;

  while (Date.now() < deadline) {
    if (claimOwnership(ownerPath)) return serveStore(dataDir, ownerPath);

    const owner = readOwner(ownerPath);
    if (owner && !isAlive(owner.pid)) {
      removeQuietly(ownerPath);
      continue;
    }
    if (owner?.endpoint && (await answers(owner.endpoint))) {
      return { endpoint: owner.endpoint, owned: false, close: async () => {} };
    }
    await sleep(100);
  }
  throw new Error(`The local store in ${dataDir} is held by another process that does not answer`);
}

/** A DynamoDB client for the local store; dynalite accepts any credentials. */
export function localDynamoConfig(endpoint: string) {
  return {
    endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

async function serveStore(dataDir: string, ownerPath: string): Promise<LocalStore> {
  const server = dynalite({
    path: join(dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await createMissingTables(endpoint);
  writeFileSync(ownerPath, JSON.stringify({ pid: process.pid, endpoint }), { mode: 0o600 });

  return {
    endpoint,
    owned: true,
    close: async () => {
      removeQuietly(ownerPath);
      await closeServer(server);
    },
  };
}

async function createMissingTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient(localDynamoConfig(endpoint));
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);

  for (const schema of TABLE_SCHEMAS) {
    if (existing.has(schema.localName)) continue;
    await client.send(
      new CreateTableCommand({
        TableName: schema.localName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: schema.partitionKey, AttributeType: 'S' },
          { AttributeName: schema.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: schema.partitionKey, KeyType: 'HASH' },
          { AttributeName: schema.sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
    await waitUntilActive(client, schema.localName);
  }
  client.destroy();
}

/** dynalite answers CreateTable while the table is still CREATING; writes need it ACTIVE. */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(10);
  }
}

function claimOwnership(ownerPath: string): boolean {
  try {
    writeFileSync(ownerPath, JSON.stringify({ pid: process.pid }), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readOwner(ownerPath: string): { pid: number; endpoint?: string } | undefined {
  try {
    return JSON.parse(readFileSync(ownerPath, 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
