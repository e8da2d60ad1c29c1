import { describeConformance } from '@sessions/conformance';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe } from 'vitest';
import { DynamoSessionStore, MAX_APPEND_BATCH } from '../src/index.js';
import { dynamoEndpoint, newClient } from './support/dynamo.js';
import { dynamoInspector } from '../src/testing/index.js';

// One table per suite run (the namespace); each store gets its own client, as separate
// processes would, and the inspector one more.
const clients = new Set<DynamoDBClient>();
const client = () => {
  const c = newClient();
  clients.add(c);
  return c;
};
// Watches poll here (the suite's watches read every 50 ms). The stream path runs in
// watch.test.ts: DynamoDB Local slows down as its streams hold more records (a 98-message append
// went from 0.1 s to 17 s on a server that had taken a few conformance runs with streams on).
const tables = new Map<string, Promise<unknown>>();
const ensure = (tableName: string) => {
  const pending = tables.get(tableName) ?? new DynamoSessionStore({ client: client(), tableName }).setup();
  tables.set(tableName, pending);
  return pending;
};

describe.skipIf(!dynamoEndpoint)('DynamoSessionStore on DynamoDB Local', () => {
  describeConformance({
    name: 'dynamo',
    // Native TTL works in whole seconds (and lazily: reads filter expired sessions themselves).
    capabilities: { ttlGranularityMs: 1000, maxBatchSize: MAX_APPEND_BATCH, concurrentWriters: 4 },
    factory: {
      // Every option the suite asks for reaches the store (spread whole, so new ones do too).
      create: async (namespace, options = {}) => {
        await ensure(namespace);
        return new DynamoSessionStore({ ...options, client: client(), tableName: namespace });
      },
      inspector: async (namespace) => {
        await ensure(namespace);
        return dynamoInspector(client(), namespace);
      },
      teardown: async () => {
        for (const c of clients) c.destroy();
      },
    },
  });
});
