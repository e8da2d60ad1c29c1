import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * `ping`: one strongly consistent `GetItem` of an absent item of the table; throws when the
 * table does not answer. A data-plane read rather than `DescribeTable`, whose low control-plane
 * rate limit frequent health checks would hit.
 */
export async function ping(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: 'health' }, SK: { S: 'health' } } }));
}
