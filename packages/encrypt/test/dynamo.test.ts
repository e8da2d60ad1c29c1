import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSessionStore, MAX_APPEND_BATCH } from '@sessions/dynamo';
import { dynamoInspector } from '@sessions/dynamo/testing';
import { requireService } from '@sessions/test-services';
import { describe } from 'vitest';
import { describeEncryptedBackend } from './support/encrypted-backend.js';
import { dynamoDump } from './support/namespace-dump.js';

const endpoint = requireService('dynamo');
const clients = new Set<DynamoDBClient>();
const client = () => {
  // DynamoDB Local takes any credentials.
  const c = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 3 });
  clients.add(c);
  return c;
};
// Each namespace is its own table, set up once.
const tables = new Map<string, Promise<unknown>>();
const ensure = (tableName: string) => {
  if (!tables.has(tableName)) tables.set(tableName, new DynamoSessionStore({ client: client(), tableName }).setup());
  return tables.get(tableName)!;
};

describe.skipIf(!endpoint)('encryption codec over DynamoDB Local', () => {
  describeEncryptedBackend({
    name: 'dynamo',
    // Native TTL works in whole seconds; transactions cap a batch.
    capabilities: { ttlGranularityMs: 1000, maxBatchSize: MAX_APPEND_BATCH, concurrentWriters: 4 },
    // Every write is a transaction on one shared JVM: a smaller session keeps the test in minutes.
    load: { seed: 20, writers: 3, perWriter: 8, pops: 6 },
    store: async (namespace, options) => {
      await ensure(namespace);
      return new DynamoSessionStore({ ...options, client: client(), tableName: namespace });
    },
    inspector: async (namespace) => {
      await ensure(namespace);
      return dynamoInspector(client(), namespace);
    },
    dump: async (namespace) => {
      await ensure(namespace);
      return dynamoDump(client(), namespace);
    },
    teardown: async () => {
      const admin = client();
      for (const table of tables.keys()) await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      for (const c of clients) c.destroy();
    },
  });
});
