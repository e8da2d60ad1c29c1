import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InMemorySessionStore, type DriverSessionStore, type JsonObject } from '@sessions/core';
import { DynamoSessionStore } from '@sessions/dynamo';
import { PostgresSessionStore } from '@sessions/postgres';
import { RedisSessionStore } from '@sessions/redis';
import { SqliteSessionStore } from '@sessions/sqlite';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import type { BenchContext } from './suite.js';

/** The backends every store-level scenario runs on. */
export type BackendName = 'memory' | 'redis' | 'postgres' | 'dynamo' | 'sqlite';

/** A store in a namespace of its own (key prefix, schema, table), and how to remove it all. */
export interface OpenedBackend {
  name: BackendName;
  /** e.g. "RedisSessionStore". */
  storeName: string;
  store: DriverSessionStore<JsonObject>;
  /** Deletes the namespace's data and closes the clients. */
  dispose(): Promise<void>;
}

/** The backends whose server the context names (memory and SQLite, which need none, always). */
export function availableBackends(context: BenchContext): BackendName[] {
  return [
    'memory',
    ...(context.redisUrl ? (['redis'] as const) : []),
    ...(context.postgresUrl ? (['postgres'] as const) : []),
    ...(context.dynamoEndpoint ? (['dynamo'] as const) : []),
    'sqlite',
  ];
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** Opens `name` in a fresh namespace on the context's server. */
export async function openBackend(name: BackendName, context: BenchContext): Promise<OpenedBackend> {
  const need = (value: string | undefined, variable: string): string => {
    if (!value) throw new Error(`the ${name} backend needs ${variable}`);
    return value;
  };
  const tag = randomBytes(4).toString('hex');
  switch (name) {
    case 'memory': {
      const store = new InMemorySessionStore();
      return { name, storeName: 'InMemorySessionStore', store, dispose: () => store.close() };
    }
    case 'sqlite': {
      // A file in WAL mode (the store's default pragmas), in a temp folder of its own.
      const dir = mkdtempSync(join(tmpdir(), 'sessions-bench-sqlite-'));
      const store = new SqliteSessionStore({ path: join(dir, 'bench.db') });
      await store.setup();
      return {
        name,
        storeName: 'SqliteSessionStore',
        store,
        async dispose() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    case 'redis': {
      const client = new Redis(need(context.redisUrl, 'SESSIONS_REDIS_URL'), { autoResendUnfulfilledCommands: false });
      const keyPrefix = `bench-${tag}:`;
      const store = new RedisSessionStore({ client, keyPrefix });
      return {
        name,
        storeName: 'RedisSessionStore',
        store,
        async dispose() {
          await deleteByPrefix(client, keyPrefix);
          await store.close();
          await client.quit();
        },
      };
    }
    case 'postgres': {
      const sql = postgres(need(context.postgresUrl, 'SESSIONS_POSTGRES_URL'), { max: 10, onnotice: () => undefined });
      const schema = `bench_${tag}`;
      const store = new PostgresSessionStore({ client: sql, schema });
      await store.setup();
      return {
        name,
        storeName: 'PostgresSessionStore',
        store,
        async dispose() {
          await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await store.close();
          await sql.end({ timeout: 5 });
        },
      };
    }
    case 'dynamo': {
      const client = new DynamoDBClient({ endpoint: need(context.dynamoEndpoint, 'SESSIONS_DYNAMO_ENDPOINT'), region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
      const tableName = `bench_${tag}`;
      const store = new DynamoSessionStore({ client, tableName });
      await store.setup();
      return {
        name,
        storeName: 'DynamoSessionStore',
        store,
        async dispose() {
          await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
          await store.close();
          client.destroy();
        },
      };
    }
  }
}

/** Runs `task(i)` for i in [0, count) with `concurrency` in flight (set-up work, not measured). */
export async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
