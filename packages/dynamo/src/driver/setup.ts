import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { LIST_INDEX, TTL_ATTRIBUTE } from '../marshal.js';
import type { DynamoTableOptions } from '../options.js';
import { TableSetupError } from './errors.js';

/** What {@link setupTable} did. */
export interface SetupTableResult {
  /** `true` when the table was created by this call. */
  created: boolean;
  /** `true` when native TTL was switched on by this call. */
  ttlEnabled: boolean;
  /** `true` when the table's stream was switched on by this call. */
  streamEnabled: boolean;
}

/** What `setup()` adds to the table besides its keys, index and TTL. */
export interface TableFeatures {
  /** A `KEYS_ONLY` DynamoDB Stream, read by stores with the `streams` option. */
  streams?: boolean;
}

/** The stream a store with `streams` reads: keys only (a watch reads the table after each record). */
const STREAM = { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } as const;

/**
 * The table definition: string keys `PK`/`SK`, the listing index `GSI1` (`GSI1PK`/`GSI1SK`, all
 * attributes), and with `features.streams` a `KEYS_ONLY` stream.
 */
export function tableDefinition(tableName: string, options: DynamoTableOptions = {}, features: TableFeatures = {}): CreateTableCommandInput {
  const provisioned = options.billingMode === 'PROVISIONED';
  const throughput = {
    ReadCapacityUnits: options.provisioned?.readCapacityUnits ?? 5,
    WriteCapacityUnits: options.provisioned?.writeCapacityUnits ?? 5,
  };
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'GSI1PK', AttributeType: 'S' },
      { AttributeName: 'GSI1SK', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: LIST_INDEX,
        KeySchema: [
          { AttributeName: 'GSI1PK', KeyType: 'HASH' },
          { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
        ],
        // listSessions returns whole SessionInfos from the index: no read back per item.
        Projection: { ProjectionType: 'ALL' },
        ...(provisioned ? { ProvisionedThroughput: throughput } : {}),
      },
    ],
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ...(provisioned ? { ProvisionedThroughput: throughput } : {}),
    ...(features.streams ? { StreamSpecification: STREAM } : {}),
  };
}

async function describeStatus(client: DynamoDBClient, tableName: string): Promise<string | null> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexReady = (out.Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    return out.Table?.TableStatus === 'ACTIVE' && !indexReady ? 'INDEX_CREATING' : (out.Table?.TableStatus ?? null);
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

/**
 * Creates the table with its listing index (on-demand billing by default) and switches on
 * native TTL on the `ttl` attribute, waiting until both are active. Safe to re-run: an existing
 * table is left as it is (only TTL is switched on if it is off). Nothing else ever creates tables:
 * the driver's `setup()` (the store's `setup()`) calls it.
 */
export async function setupTable(client: DynamoDBClient, tableName: string, options: DynamoTableOptions = {}, features: TableFeatures = {}): Promise<SetupTableResult> {
  let created = false;
  if ((await describeStatus(client, tableName)) === null) {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName, options, features)));
      created = true;
    } catch (error) {
      // Another process created it at the same moment: fine, wait for it below.
      if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
    }
  }
  await waitActive(client, tableName, options);
  await checkSchema(client, tableName);
  const streamEnabled = features.streams === true && (await enableStream(client, tableName));
  if (streamEnabled) await waitActive(client, tableName, options);
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  let ttlEnabled = false;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE } }));
    ttlEnabled = true;
  }
  return { created, ttlEnabled, streamEnabled };
}

async function waitActive(client: DynamoDBClient, tableName: string, options: DynamoTableOptions): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  while ((await describeStatus(client, tableName)) !== 'ACTIVE') {
    if (Date.now() > deadline) throw new TableSetupError(`table ${tableName} did not become ACTIVE within ${options.waitMs ?? 60_000} ms; retry setup() or raise the table.waitMs option`, false);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Switches on the table's stream when it has none (a stream of any view type carries the keys): `true` if it did. */
async function enableStream(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  if (table?.StreamSpecification?.StreamEnabled) return false;
  await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
  return true;
}

/** Refuses an existing table whose keys or listing index are not the ones this store writes. */
async function checkSchema(client: DynamoDBClient, tableName: string): Promise<void> {
  const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) => (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  const index = table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === LIST_INDEX);
  if (keys(table?.KeySchema) !== 'PK:HASH,SK:RANGE' || keys(index?.KeySchema) !== 'GSI1PK:HASH,GSI1SK:RANGE' || index?.Projection?.ProjectionType !== 'ALL') {
    throw new TableSetupError(
      `table ${tableName} exists but is not a sessions table (it needs keys PK/SK and the index ${LIST_INDEX} on GSI1PK/GSI1SK projecting all attributes); pick another tableName, or create the table from tableDefinition()`,
      true,
    );
  }
}
