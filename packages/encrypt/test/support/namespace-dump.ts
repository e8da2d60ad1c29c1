import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Cluster, type Redis } from 'ioredis';
import type { Sql } from 'postgres';

/**
 * Raw dumps of everything a namespace holds, read with the driver and bypassing every store:
 * what an attacker with a copy of the database reads. Each record is rendered as text.
 */
export type NamespaceDump = () => Promise<string[]>;

/** Every key matching `pattern`, on every master of a cluster. */
export async function scanKeys(client: Redis | Cluster, pattern: string): Promise<string[]> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found.sort();
}

/** Escapes glob characters for SCAN MATCH. */
export const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/** Every key under `prefix` with its contents. */
export function redisDump(client: Redis | Cluster, prefix: string): NamespaceDump {
  return async () => {
    const records: string[] = [];
    for (const key of await scanKeys(client, `${globEscape(prefix)}*`)) {
      const type = await client.type(key);
      const contents =
        type === 'hash' ? await client.hgetall(key)
        : type === 'zset' ? await client.zrange(key, 0, -1, 'WITHSCORES')
        : type === 'list' ? await client.lrange(key, 0, -1)
        : type === 'set' ? await client.smembers(key)
        : type === 'string' ? await client.get(key)
        : `(${type})`;
      records.push(`${key} ${JSON.stringify(contents)}`);
    }
    return records;
  };
}

/** Every row of every table in `schema`, as JSON. */
export function postgresDump(sql: Sql, schema: string): NamespaceDump {
  return async () => {
    const tables = await sql<{ table_name: string }[]>`SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema}`;
    const records: string[] = [];
    for (const { table_name } of tables) {
      const rows = await sql.unsafe(`SELECT row_to_json(t)::text AS r FROM "${schema.replaceAll('"', '""')}"."${table_name.replaceAll('"', '""')}" t`);
      for (const row of rows) records.push(`${table_name} ${String(row['r'])}`);
    }
    return records;
  };
}

/** Every item of the table, as marshalled JSON. */
export function dynamoDump(client: DynamoDBClient, tableName: string): NamespaceDump {
  return async () => {
    const records: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start as never } : {}) }));
      for (const item of page.Items ?? []) records.push(JSON.stringify(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  };
}
