import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { globEscape, renderKey, scanKeys } from '@sessions/redis/testing';
import type { Cluster, Redis } from 'ioredis';
import type { Sql } from 'postgres';

/**
 * Raw dumps of everything a namespace holds, read with the driver and bypassing every store:
 * what an attacker with a copy of the database reads. Each record is rendered as text.
 */
export type NamespaceDump = () => Promise<string[]>;

/** Every key under `prefix` with its contents (the backend's own raw rendering). */
export function redisDump(client: Redis | Cluster, prefix: string): NamespaceDump {
  return async () => {
    const keys = await scanKeys(client, `${globEscape(prefix)}*`);
    return (await Promise.all(keys.map((key) => renderKey(client, key)))).filter(Boolean);
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
