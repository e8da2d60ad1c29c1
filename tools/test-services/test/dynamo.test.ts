import { describe, expect, it } from 'vitest';
import { dynamoPing, startDynamoLocal } from '../src/dynamo-local.js';
import { isPortFree } from '../src/free-port.js';
import { isDown } from './helpers.js';

async function createTable(endpoint: string, name: string): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.CreateTable',
      authorization: 'AWS4-HMAC-SHA256 Credential=other/20240101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  });
}

describe('startDynamoLocal', () => {
  it('answers ListTables, restarts empty on the same port after a kill, frees the port on stop', async () => {
    const dynamo = await startDynamoLocal();
    try {
      expect(dynamo.endpoint).toBe(`http://127.0.0.1:${dynamo.port}`);
      expect(await dynamoPing(dynamo.port)).toBe(true);
      expect((await createTable(dynamo.endpoint, 'harness_check')).ok).toBe(true);

      await dynamo.kill();
      expect(await isDown(() => dynamoPing(dynamo.port))).toBe(true);
      await dynamo.restart();
      expect(await dynamoPing(dynamo.port)).toBe(true);
      // In memory: the table is gone, so creating it again succeeds.
      expect((await createTable(dynamo.endpoint, 'harness_check')).ok).toBe(true);
    } finally {
      await dynamo.stop();
    }
    expect(await isPortFree(dynamo.port)).toBe(true);
  });
});
