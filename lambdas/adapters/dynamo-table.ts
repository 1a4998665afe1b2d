import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionFailedError } from '../core/errors.js';
import type {
  Item,
  ItemKey,
  Page,
  PutOptions,
  QueryOptions,
  Table,
  UpdateOptions,
} from '../core/ports.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { buildUpdate } from './update-expression.js';

const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_ATTEMPTS = 8;

/** The platform table over the DynamoDB API: AWS in the cloud, dynalite in the local twin. */
export class DynamoTable implements Table {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    config: DynamoDBClientConfig = {},
  ) {
    this.client = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async get(key: ItemKey): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item as Item | undefined;
  }

  async put(item: Item, options: PutOptions = {}): Promise<void> {
    await this.conditional(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: options.onlyIfAbsent ? 'attribute_not_exists(pk)' : undefined,
        }),
      ),
    );
  }

  async update(key: ItemKey, options: UpdateOptions): Promise<Item> {
    const expression = buildUpdate(options);
    const result = await this.conditional(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          ...expression,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return result.Attributes as Item;
  }

  async delete(key: ItemKey, options: Pick<UpdateOptions, 'expect'> = {}): Promise<void> {
    const expression = options.expect ? buildUpdate({ expect: options.expect }) : {};
    await this.conditional(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: expression.ConditionExpression,
          ExpressionAttributeNames: expression.ExpressionAttributeNames,
          ExpressionAttributeValues: expression.ExpressionAttributeValues,
        }),
      ),
    );
  }

  async query(options: QueryOptions): Promise<Page<Item>> {
    const prefix = options.skPrefix;
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: prefix
          ? { ':pk': options.pk, ':prefix': prefix }
          : { ':pk': options.pk },
        Limit: options.limit,
        ScanIndexForward: !options.newestFirst,
        ExclusiveStartKey: options.cursor ? decodeCursor(options.cursor, options.pk) : undefined,
        ConsistentRead: true,
      }),
    );
    return {
      items: (result.Items ?? []) as Item[],
      cursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : undefined,
    };
  }

  async deleteMany(keys: readonly ItemKey[]): Promise<void> {
    for (let start = 0; start < keys.length; start += BATCH_WRITE_LIMIT) {
      const chunk = keys.slice(start, start + BATCH_WRITE_LIMIT);
      await this.writeBatch(chunk.map((key) => ({ DeleteRequest: { Key: key } })));
    }
  }

  private async writeBatch(requests: Record<string, unknown>[]): Promise<void> {
    let pending = requests;

    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt === MAX_BATCH_ATTEMPTS) {
        throw new Error(`${pending.length} batch writes stayed unprocessed`);
      }
      if (attempt > 0) await sleep(25 * 2 ** attempt);

      const result = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
      );
      pending = (result.UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
    }
  }

  private async conditional<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConditionFailedError(error);
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw new ConditionFailedError(error);
      }
      throw error;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
