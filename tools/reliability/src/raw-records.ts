import { DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoSessionStore } from '@sessions/dynamo';
import { PostgresSessionStore } from '@sessions/postgres';
import { Cluster, Redis } from 'ioredis';
import postgres from 'postgres';
import { DYNAMO_CREDENTIALS, openStore, type StoreTarget } from './targets.js';

/** Creates the namespace's tables (PostgreSQL schema, DynamoDB table) once, before any worker starts. */
export async function prepareTarget(target: StoreTarget): Promise<void> {
  if (target.backend === 'postgres') {
    const store = await PostgresSessionStore.fromUrl(target.address, { schema: target.namespace });
    try {
      await store.setup();
    } finally {
      await store.close();
    }
  } else if (target.backend === 'dynamo') {
    const store = (await openStore(target)) as DynamoSessionStore;
    try {
      await store.setup();
    } finally {
      await store.close();
    }
  }
}

/** Removes everything the namespace holds (keys, schema, table). */
export async function dropTarget(target: StoreTarget): Promise<void> {
  switch (target.backend) {
    case 'postgres': {
      const sql = postgres(target.address, { max: 1, onnotice: () => undefined });
      await sql.unsafe(`DROP SCHEMA IF EXISTS "${target.namespace}" CASCADE`);
      await sql.end();
      return;
    }
    case 'dynamo': {
      const client = new DynamoDBClient({ endpoint: target.address, region: 'us-east-1', credentials: DYNAMO_CREDENTIALS });
      await client.send(new DeleteTableCommand({ TableName: target.namespace })).catch(() => undefined);
      client.destroy();
      return;
    }
    case 'redis':
    case 'cluster':
      await withRedisMasters(target, async (node) => {
        const keys = await scanAll(node, `${target.namespace}:*`);
        for (let i = 0; i < keys.length; i += 500) await Promise.all(keys.slice(i, i + 500).map((key) => node.unlink(key)));
      });
      return;
    case 'memory':
      return;
  }
}

/**
 * How many raw records (keys, rows, items) the namespace holds, read with the driver, not
 * through the store: a rejected input must leave this unchanged. `null` for memory (nothing
 * to read beneath the store).
 */
export async function countRawRecords(target: StoreTarget): Promise<number | null> {
  switch (target.backend) {
    case 'memory':
      return null;
    case 'redis':
    case 'cluster': {
      let total = 0;
      await withRedisMasters(target, async (node) => {
        total += (await scanAll(node, `${target.namespace}:*`)).length;
      });
      return total;
    }
    case 'postgres': {
      const sql = postgres(target.address, { max: 1, onnotice: () => undefined });
      try {
        const schema = `"${target.namespace}"`;
        const rows = await sql.unsafe(
          `SELECT (SELECT count(*) FROM ${schema}.sessions) + (SELECT count(*) FROM ${schema}.session_messages)
             + (SELECT count(*) FROM ${schema}.session_idempotency_keys) AS n`,
        );
        return Number(rows[0]?.['n']);
      } finally {
        await sql.end();
      }
    }
    case 'dynamo': {
      const client = new DynamoDBClient({ endpoint: target.address, region: 'us-east-1', credentials: DYNAMO_CREDENTIALS });
      try {
        let total = 0;
        let start: Record<string, never> | undefined;
        do {
          const page = await client.send(new ScanCommand({ TableName: target.namespace, Select: 'COUNT', ExclusiveStartKey: start }));
          total += page.Count ?? 0;
          start = page.LastEvaluatedKey as Record<string, never> | undefined;
        } while (start);
        return total;
      } finally {
        client.destroy();
      }
    }
  }
}

async function withRedisMasters(target: StoreTarget, each: (node: Redis) => Promise<void>): Promise<void> {
  if (target.backend === 'redis') {
    const client = new Redis(target.address);
    try {
      await each(client);
    } finally {
      client.disconnect();
    }
    return;
  }
  const cluster = new Cluster(target.address.split(','));
  try {
    await cluster.ping();
    for (const node of cluster.nodes('master')) await each(node);
  } finally {
    cluster.disconnect();
  }
}

async function scanAll(node: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
