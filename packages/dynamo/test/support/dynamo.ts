import { DynamoDBClient, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { requireService } from '@sessions/test-services';
import { randomBytes } from 'node:crypto';
import { DynamoSessionStore, type DynamoSessionStoreOptions } from '../../src/index.js';

/** The DynamoDB Local endpoint the harness started (or the one `SESSIONS_DYNAMO_ENDPOINT` names). */
export const dynamoEndpoint = requireService('dynamo');

/** A client of the test server; DynamoDB Local (`-sharedDb`) takes any credentials. */
export function newClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
  });
}

/** A table name no other test uses. */
export function freshTableName(tag = 't'): string {
  return `${tag}_${randomBytes(5).toString('hex')}`;
}

/** A store over a new table (created with `setup()`) with its own client; `done()` closes it and drops the table. */
export async function freshStore(options: Omit<DynamoSessionStoreOptions, 'client' | 'tableName'> = {}) {
  const client = newClient();
  const tableName = freshTableName();
  const store = new DynamoSessionStore({ client, tableName, ...options });
  await store.setup();
  return {
    store,
    client,
    tableName,
    async done() {
      await store.close();
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    },
  };
}
