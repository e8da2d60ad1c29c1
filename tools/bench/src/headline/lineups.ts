import { randomBytes } from 'node:crypto';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { encryptStore } from '@sessions/encrypt';
import { openBackend, type BackendName, type OpenedBackend } from '../backends.js';
import { langchainDynamo, langchainPostgres, langchainRedis, type OpenedPeer } from '../peers/langchain-sides.js';
import { openMastra, type MastraBackend } from '../peers/mastra-stores.js';
import type { ChatHistorySide } from '../peers/peer-rows.js';
import { storeSide } from '../peers/store-side.js';
import type { BenchContext, HeadlineRole } from '../suite.js';
import { dynamoFloor, postgresFloor, redisFloor, sqliteFloor } from './floors.js';
import { packageVersion } from './versions.js';

/** One row of the headline: a side and what it is (the raw floor, a peer library, our store). */
export interface LineupEntry {
  role: HeadlineRole;
  side: ChatHistorySide & { maxLength?: { length: number; reason: string }; perCall?: string };
}

/** Every side measured on one backend, and how to remove them all. */
export interface Lineup {
  backend: BackendName;
  entries: LineupEntry[];
  dispose(): Promise<void>;
}

const USER = 'bench-user';
const v = (name: string) => {
  const version = packageVersion(name);
  return version ? ` ${version}` : '';
};

/** Our store on `backend` as a headline side ("@sessions/redis"). */
function ours(opened: OpenedBackend, label: string): LineupEntry {
  return { role: 'store', side: storeSide(label, opened.store, USER, opened.name === 'dynamo' ? 50 : 1_000) };
}

/** A peer under its headline name. */
const renamed = (opened: OpenedPeer, name: string, role: HeadlineRole): LineupEntry => ({ role, side: { ...opened.side, name } });

/**
 * Opens every side of `backend`'s headline rows: the raw driver, the peer libraries with a
 * store for it, our store (and, on Redis, our store with encryption). A side that fails to
 * open (a peer at odds with this Node) is left out with a warning, not the whole backend.
 */
export async function openLineup(backend: BackendName, context: BenchContext): Promise<Lineup> {
  const entries: LineupEntry[] = [];
  const disposers: (() => Promise<void>)[] = [];
  const add = async (what: string, open: () => Promise<LineupEntry & { dispose(): Promise<void> }>) => {
    try {
      const { dispose, ...entry } = await open();
      entries.push(entry);
      disposers.push(dispose);
    } catch (error) {
      process.stderr.write(`headline: ${backend}: ${what} left out: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  const peer = (role: HeadlineRole, name: string, open: () => Promise<OpenedPeer>) => add(name, async () => {
    const opened = await open();
    return { ...renamed(opened, name, role), dispose: opened.dispose };
  });
  const store = (label: string) => add(label, async () => {
    const opened = await openBackend(backend, context);
    return { ...ours(opened, label), dispose: opened.dispose };
  });
  const mastra = (name: string) => add(name, async () => {
    const opened = await openMastra(backend as MastraBackend, context, USER);
    return { role: 'peer' as const, side: { ...opened.side, name }, dispose: opened.dispose };
  });
  const dynamoConfig = (endpoint: string): DynamoDBClientConfig => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });

  switch (backend) {
    case 'memory':
      await mastra(`Mastra InMemoryStore${v('@mastra/core')}`);
      await store('@sessions/core InMemorySessionStore');
      break;
    case 'redis': {
      const url = context.redisUrl ?? '';
      await peer('floor', `raw ioredis${v('ioredis')} (RPUSH / LRANGE)`, () => redisFloor(url, 'raw'));
      await peer('peer', `LangChain${v('@langchain/community')} Redis history (ioredis)`, () => langchainRedis(url, 'ioredis', 'lc'));
      await peer('peer', `LangChain${v('@langchain/redis')} Redis history (@langchain/redis)`, () => langchainRedis(url, 'node-redis', 'lc'));
      await mastra(`Mastra RedisStore${v('@mastra/redis')}`);
      await store('@sessions/redis');
      await add('@sessions/redis + encryption', async () => {
        const opened = await openBackend(backend, context);
        const sealed = encryptStore(opened.store, { keys: { bench: randomBytes(32) }, currentKeyId: 'bench' });
        return { role: 'store' as const, side: storeSide('@sessions/redis + encryption', sealed, USER, 1_000), dispose: opened.dispose };
      });
      break;
    }
    case 'postgres': {
      const url = context.postgresUrl ?? '';
      await peer('floor', `raw postgres.js${v('postgres')} (INSERT / indexed SELECT)`, () => postgresFloor(url, 'raw'));
      await peer('peer', `LangChain${v('@langchain/community')} Postgres history`, () => langchainPostgres(url, 'lc'));
      await mastra(`Mastra PostgresStore${v('@mastra/pg')}`);
      await store('@sessions/postgres');
      break;
    }
    case 'dynamo': {
      const config = dynamoConfig(context.dynamoEndpoint ?? '');
      await peer('floor', 'raw AWS SDK (PutItem / Query Limit 20)', () => dynamoFloor(config, 'raw'));
      await peer('peer', `LangChain${v('@langchain/community')} DynamoDB history`, () => langchainDynamo(config, 'lc'));
      await mastra(`Mastra DynamoDBStore${v('@mastra/dynamodb')}`);
      await store('@sessions/dynamo');
      break;
    }
    case 'sqlite':
      await peer('floor', `raw better-sqlite3${v('better-sqlite3')} (INSERT / indexed SELECT)`, () => Promise.resolve(sqliteFloor('raw')));
      await mastra(`Mastra LibSQLStore${v('@mastra/libsql')} (local file)`);
      await store('@sessions/sqlite');
      break;
  }
  return {
    backend,
    entries,
    async dispose() {
      for (const dispose of disposers.reverse()) await dispose().catch(() => undefined);
    },
  };
}
