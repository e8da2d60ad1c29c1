import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, waitUntilTableExists, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { InMemoryStore, type MastraCompositeStore } from '@mastra/core/storage';
import { DynamoDBStore } from '@mastra/dynamodb';
import { LibSQLStore } from '@mastra/libsql';
import { PostgresStore } from '@mastra/pg';
import { RedisStore } from '@mastra/redis';
import postgres from 'postgres';
import { Redis } from 'ioredis';
import type { BenchContext } from '../suite.js';
import { MASTRA_CALLS, mastraSide, type MastraSideOptions } from './mastra.js';
import type { PeerSide } from './peer-rows.js';

/** The backends Mastra has a store for on a server this bench starts (or in process). */
export type MastraBackend = 'memory' | 'redis' | 'postgres' | 'sqlite' | 'dynamo';

/** A Mastra store opened in a namespace of its own, as a peer side, and how to remove it. */
export interface OpenedMastra {
  backend: MastraBackend;
  side: PeerSide;
  dispose(): Promise<void>;
}

/**
 * Mastra's stores that need a server nobody runs locally, and why they are not measured.
 * Shown in the document's "Peers not run" section.
 */
export const MASTRA_NOT_RUN =
  '`@mastra/upstash` talks to Upstash\'s REST API (not the Redis protocol), so it needs an Upstash database or its HTTP proxy, which this bench does not start (Mastra\'s store over a plain Redis server, `@mastra/redis`, is measured). `@mastra/mongodb`, `@mastra/mssql`, `@mastra/clickhouse` need servers outside the project\'s backends, and `@mastra/cloudflare-d1` and `@mastra/convex` are hosted services only.';

const NAMES: Record<MastraBackend, string> = {
  memory: 'Mastra InMemoryStore (@mastra/core)',
  redis: 'Mastra RedisStore (@mastra/redis, node-redis)',
  postgres: 'Mastra PostgresStore (@mastra/pg)',
  sqlite: 'Mastra LibSQLStore (@mastra/libsql, local file)',
  dynamo: 'Mastra DynamoDBStore (@mastra/dynamodb)',
};

/** Shown with each Mastra row: what its store does underneath. */
const UNDERNEATH: Record<MastraBackend, string> = {
  memory: 'InMemoryStore keeps messages in a Map and sorts the thread\'s messages on each read.',
  redis: 'RedisStore over node-redis: a key per message and a sorted set per thread; listMessages reads every message id of the thread (ZRANGE 0 -1), MGETs and parses every message, sorts and slices in the process.',
  postgres: 'PostgresStore over pg (pool of 10): tables mastra_threads and mastra_messages with Mastra\'s default indexes (thread_id, createdAt DESC); the read orders by (createdAt DESC, id DESC), an index scan plus an incremental sort once the table has statistics (ANALYZE after each fill: without statistics, the planner read all 10,000 messages of a thread and sorted them, 37 ms against 0.07 ms).',
  sqlite: 'LibSQLStore over @libsql/client on a local file, WAL mode.',
  dynamo: 'DynamoDBStore over ElectroDB, one table with Mastra\'s 7 GSIs; listMessages Queries every message of the thread (all pages) and sorts and slices in the process.',
};

/** The table Mastra's DynamoDB store expects (pk/sk and gsi1..gsi7, all strings), as its table set-up guide describes. */
async function createMastraDynamoTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const gsis = Array.from({ length: 7 }, (_, k) => `gsi${k + 1}`);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', ...gsis.flatMap((g) => [`${g}pk`, `${g}sk`])].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: gsis.map((g) => ({
        IndexName: g,
        KeySchema: [
          { AttributeName: `${g}pk`, KeyType: 'HASH' },
          { AttributeName: `${g}sk`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
}

/** The Mastra backends the context can run (memory and sqlite always). */
export function mastraBackends(context: BenchContext): MastraBackend[] {
  return ['memory', ...(context.redisUrl ? (['redis'] as const) : []), ...(context.postgresUrl ? (['postgres'] as const) : []), 'sqlite', ...(context.dynamoEndpoint ? (['dynamo'] as const) : [])];
}

/** Opens Mastra's store for `backend` in a fresh namespace (schema, file, table), initialised, as a peer side of `resourceId`. */
export async function openMastra(backend: MastraBackend, context: BenchContext, resourceId: string): Promise<OpenedMastra> {
  const tag = randomBytes(4).toString('hex');
  const open = async (storage: MastraCompositeStore, cleanup: () => Promise<void>, extra: MastraSideOptions = {}): Promise<OpenedMastra> => {
    await storage.init();
    const side = await mastraSide(NAMES[backend], storage, resourceId, { idPrefix: `bench-${tag}-`, ...extra });
    return { backend, side: { ...side, perCall: `${NAMES[backend]}: ${UNDERNEATH[backend]} ${MASTRA_CALLS}` }, dispose: cleanup };
  };
  switch (backend) {
    case 'memory': {
      const storage = new InMemoryStore({ id: `bench-${tag}` });
      return open(storage, () => storage.close());
    }
    case 'redis': {
      const url = context.redisUrl;
      if (!url) throw new Error('Mastra RedisStore needs SESSIONS_REDIS_URL');
      // RedisStore's keys have no prefix option: every thread and message id carries the tag, and cleanup deletes by it.
      const storage = new RedisStore({ id: `bench-${tag}`, connectionString: url });
      return open(storage, async () => {
        await storage.close();
        const redis = new Redis(url);
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `*bench-${tag}-*`, 'COUNT', 1_000);
          cursor = next;
          if (keys.length) await redis.unlink(...keys);
        } while (cursor !== '0');
        await redis.quit();
      });
    }
    case 'postgres': {
      const url = context.postgresUrl;
      if (!url) throw new Error('Mastra PostgresStore needs SESSIONS_POSTGRES_URL');
      const schemaName = `bench_mastra_${tag}`;
      const storage = new PostgresStore({ id: `bench-${tag}`, connectionString: url, schemaName, max: 10 });
      const sql = postgres(url, { max: 1, onnotice: () => undefined });
      const opened = await open(storage, async () => {
        await storage.close();
        await sql.unsafe(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`).catch(() => undefined);
        await sql.end({ timeout: 5 });
      });
      // Statistics after a bulk fill, as autovacuum gives a live database (and as the other
      // PostgreSQL peers get): without them the planner reads the whole thread and sorts it.
      const { fill } = opened.side;
      opened.side.fill = async (session, length) => {
        await fill(session, length);
        await sql.unsafe(`ANALYZE "${schemaName}".mastra_messages, "${schemaName}".mastra_threads`);
      };
      return opened;
    }
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'sessions-bench-mastra-'));
      const storage = new LibSQLStore({ id: `bench-${tag}`, url: `file:${join(dir, 'mastra.db')}` });
      return open(storage, async () => {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      });
    }
    case 'dynamo': {
      const endpoint = context.dynamoEndpoint;
      if (!endpoint) throw new Error('Mastra DynamoDBStore needs SESSIONS_DYNAMO_ENDPOINT');
      const config: DynamoDBClientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
      const client = new DynamoDBClient(config);
      const tableName = `bench_mastra_${tag}`;
      await createMastraDynamoTable(client, tableName);
      const storage = new DynamoDBStore({ name: `bench-${tag}`, config: { id: `bench-${tag}`, tableName, region: 'us-east-1', endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } } });
      // DynamoDB writes at most 25 items per batch: smaller fill calls keep each one quick.
      return open(
        storage,
        async () => {
          await storage.close();
          await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
          client.destroy();
        },
        { fillBatch: 100 },
      );
    }
  }
}
