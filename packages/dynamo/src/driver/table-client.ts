import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  type PutItemCommandInput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type TransactWriteItem,
  type Put,
  type Update,
  type Delete,
  type ConditionCheck,
  type UpdateItemCommandInput,
  type UpdateItemCommandOutput,
  type DeleteItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { toSessionRecord, sessionKey, type Item, type SessionRecord } from '../marshal.js';
import { backoff, withRetry, type RetryPolicy } from './retry.js';

/** Largest BatchWriteItem request. */
const BATCH_WRITE_LIMIT = 25;
/** Largest BatchGetItem request. */
const BATCH_GET_LIMIT = 100;

type Without<T, K extends keyof T> = Omit<T, K>;

/** One action of a transaction, without `TableName` (the table fills it in). */
export interface TransactAction {
  Put?: Without<Put, 'TableName'>;
  Update?: Without<Update, 'TableName'>;
  Delete?: Without<Delete, 'TableName'>;
  ConditionCheck?: Without<ConditionCheck, 'TableName'>;
}

/**
 * The table as the driver's operations see it: the SDK calls they need, bound to one table, each retried
 * on throttling and transaction conflicts. SDK errors are rethrown unchanged so that operations
 * can tell a failed condition from a failure; the driver's classifyError reads whatever escapes.
 */
export class TableClient {
  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
    readonly retry: RetryPolicy,
  ) {}

  /** The session item, strongly consistent, or `null`. */
  async getRecord(userId: string, sessionId: string): Promise<SessionRecord | null> {
    const out = await withRetry(
      () => this.client.send(new GetItemCommand({ TableName: this.tableName, Key: sessionKey(userId, sessionId), ConsistentRead: true })),
      this.retry,
    );
    return out.Item ? toSessionRecord(out.Item) : null;
  }

  /** One item by key, strongly consistent, or `null`. */
  async getItem(key: Item): Promise<Item | null> {
    const out = await withRetry(
      () => this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
      this.retry,
    );
    return out.Item ?? null;
  }

  /** One page of a query. */
  query(input: Without<QueryCommandInput, 'TableName'>): Promise<QueryCommandOutput> {
    return withRetry(() => this.client.send(new QueryCommand({ TableName: this.tableName, ...input })), this.retry);
  }

  /** Every page of a query, following `LastEvaluatedKey` (no result is cut at DynamoDB's 1 MB page). */
  async *queryAll(input: Without<QueryCommandInput, 'TableName'>): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const out = await this.query({ ...input, ExclusiveStartKey: start });
      yield out.Items ?? [];
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /** How many items a query matches, following `LastEvaluatedKey` (DynamoDB counts 1 MB per page). */
  async count(input: Without<QueryCommandInput, 'TableName' | 'Select'>): Promise<number> {
    let total = 0;
    let start: Item | undefined;
    do {
      const out = await this.query({ ...input, Select: 'COUNT', ExclusiveStartKey: start });
      total += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return total;
  }

  /** The items of `keys` that exist, strongly consistent, 100 keys per request, resending unprocessed keys. */
  async getItems(keys: Item[], projection?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> }): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
      let pending = keys.slice(i, i + BATCH_GET_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const request = { Keys: pending, ConsistentRead: true, ...projection };
        const out = await withRetry(() => this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } })), this.retry);
        found.push(...(out.Responses?.[this.tableName] ?? []));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length === 0) break;
        if (attempt >= this.retry.maxRetries) throw unprocessed(pending.length, 'BatchGetItem');
        await backoff(attempt, this.retry);
      }
    }
    return found;
  }

  /** Every page of a scan, following `LastEvaluatedKey`. */
  async *scanAll(input: Without<ScanCommandInput, 'TableName'>): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const out: ScanCommandOutput = await withRetry(
        () => this.client.send(new ScanCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start })),
        this.retry,
      );
      yield out.Items ?? [];
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /** A conditional put. */
  put(input: Without<PutItemCommandInput, 'TableName'>): Promise<unknown> {
    return withRetry(() => this.client.send(new PutItemCommand({ TableName: this.tableName, ...input })), this.retry);
  }

  /** A conditional update. */
  update(input: Without<UpdateItemCommandInput, 'TableName'>): Promise<UpdateItemCommandOutput> {
    return withRetry(() => this.client.send(new UpdateItemCommand({ TableName: this.tableName, ...input })), this.retry);
  }

  /** A conditional delete. */
  delete(input: Without<DeleteItemCommandInput, 'TableName'>): Promise<DeleteItemCommandOutput> {
    return withRetry(() => this.client.send(new DeleteItemCommand({ TableName: this.tableName, ...input })), this.retry);
  }

  /** One transaction; `TableName` is filled in on every action. */
  transact(actions: TransactAction[]): Promise<unknown> {
    const items = actions.map((action) => {
      const [kind, body] = Object.entries(action)[0] as [keyof TransactWriteItem, object];
      return { [kind]: { TableName: this.tableName, ...body } } as TransactWriteItem;
    });
    return withRetry(() => this.client.send(new TransactWriteItemsCommand({ TransactItems: items })), this.retry);
  }

  /** Deletes items by key, 25 per request, resending unprocessed ones. Not atomic. */
  async deleteKeys(keys: Item[]): Promise<void> {
    await this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  /** Puts items, 25 per request, resending unprocessed ones. Not atomic. */
  async putItems(items: Item[]): Promise<void> {
    await this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  private async batchWrite(requests: { DeleteRequest?: { Key: Item }; PutRequest?: { Item: Item } }[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) {
      let pending = requests.slice(i, i + BATCH_WRITE_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const out = await withRetry(
          () => this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } })),
          this.retry,
        );
        pending = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
        if (pending.length === 0) break;
        if (attempt >= this.retry.maxRetries) throw unprocessed(pending.length, 'BatchWriteItem');
        await backoff(attempt, this.retry);
      }
    }
  }
}

/** Shaped like the SDK's throttling error, so it is classified as an outage (`UNAVAILABLE`). */
function unprocessed(count: number, call: string): Error {
  return Object.assign(new Error(`${count} items stayed unprocessed by ${call}`), { name: 'ThrottlingException' });
}
