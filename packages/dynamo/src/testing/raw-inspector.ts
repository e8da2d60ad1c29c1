import { GetItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RawInspector } from '@sessions/core';
import { sessionItemsPrefix, sessionSk, userPk } from '../keys.js';

type Item = Record<string, AttributeValue>;

async function queryAll(client: DynamoDBClient, tableName: string, pk: string, prefix?: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: prefix === undefined ? 'PK = :pk' : 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ...(prefix === undefined ? {} : { ':prefix': { S: prefix } }) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

const render = (item: Item) => JSON.stringify(item);

/** Reads the raw table with GetItem/Query, bypassing the store. */
export function dynamoInspector(client: DynamoDBClient, tableName: string): RawInspector {
  const getRecord = async (userId: string, sessionId: string) =>
    (await client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: userPk(userId) }, SK: { S: sessionSk(sessionId) } }, ConsistentRead: true }))).Item;
  return {
    async userRecords(userId) {
      return (await queryAll(client, tableName, userPk(userId))).map(render);
    },
    async sessionRecords(userId, sessionId) {
      const record = await getRecord(userId, sessionId);
      const items = await queryAll(client, tableName, userPk(userId), sessionItemsPrefix(sessionId));
      return [...(record ? [record] : []), ...items].map(render);
    },
    async sessionExpiry(userId, sessionId) {
      const record = await getRecord(userId, sessionId);
      if (!record) return undefined;
      // The native TTL attribute (epoch seconds), as DynamoDB itself will act on it.
      const ttl = record['ttl']?.N;
      return ttl === undefined ? null : Number(ttl) * 1000;
    },
  };
}
