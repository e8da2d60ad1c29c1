import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, waitUntilTableExists, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { mapChatMessagesToStoredMessages } from '@langchain/core/messages';
import { DynamoDBChatMessageHistory } from '@langchain/community/stores/message/dynamodb';
import { RedisChatMessageHistory as IoredisHistory } from '@langchain/community/stores/message/ioredis';
import { PostgresChatMessageHistory } from '@langchain/community/stores/message/postgres';
import { RedisChatMessageHistory as NodeRedisHistory } from '@langchain/redis';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { createClient } from 'redis';
import { kilobyteChatMessage, storedChatMessageJson } from './langchain-messages.js';
import type { PeerSide } from './peer-rows.js';

/** A peer side and how to remove its data and close its clients. */
export interface OpenedPeer {
  side: PeerSide;
  dispose(): Promise<void>;
}

/** One history object per session, as an app holds one per conversation. */
function perSession<H>(make: (session: string) => H): (session: string) => H {
  const histories = new Map<string, H>();
  return (session) => {
    let h = histories.get(session);
    if (!h) histories.set(session, (h = make(session)));
    return h;
  };
}

/** Deletes every key under `prefix:`. */
async function deletePrefix(raw: Redis, prefix: string): Promise<void> {
  const keys = await raw.keys(`${prefix}:*`);
  if (keys.length) await raw.del(...keys);
}

/**
 * LangChain's Redis chat history (`@langchain/community` over ioredis, or `@langchain/redis`
 * over node-redis) on `url`: an LPUSH per message, LRANGE 0 -1 of the whole list per read.
 */
export async function langchainRedis(url: string, flavour: 'ioredis' | 'node-redis', name: string): Promise<OpenedPeer> {
  const prefix = `bench-lc-${flavour}:${randomBytes(4).toString('hex')}`;
  const raw = new Redis(url);
  const ioredis = flavour === 'ioredis' ? new Redis(url) : undefined;
  const nodeRedis = flavour === 'node-redis' ? createClient({ url }) : undefined;
  await nodeRedis?.connect();
  const history = perSession((session): IoredisHistory | NodeRedisHistory =>
    ioredis ? new IoredisHistory({ sessionId: `${prefix}:${session}`, client: ioredis }) : new NodeRedisHistory({ sessionId: `${prefix}:${session}`, client: nodeRedis }),
  );
  return {
    side: {
      name,
      perCall: 'LangChain Redis chat history: LPUSH per message; getMessages is LRANGE 0 -1 (the whole history) + JSON.parse of each, then the last 20 are kept.',
      append: (session, i) => history(session).addMessage(kilobyteChatMessage(i)),
      readNewest20: async (session) => (await history(session).getMessages()).slice(-20),
      async fill(session, length) {
        // The history is a list, newest first: raw LPUSHes of its own message format.
        for (let done = 0; done < length; done += 1_000) {
          await raw.lpush(`${prefix}:${session}`, ...Array.from({ length: Math.min(1_000, length - done) }, (_, k) => storedChatMessageJson(done + k)));
        }
      },
    },
    async dispose() {
      await deletePrefix(raw, prefix);
      await Promise.all([raw.quit(), ioredis?.quit(), nodeRedis?.quit()]);
    },
  };
}

/** LangChain's PostgreSQL chat history (`@langchain/community` over pg): an INSERT per message, a SELECT of every row of the session per read. */
export async function langchainPostgres(url: string, name: string): Promise<OpenedPeer> {
  const tableName = `lc_chat_${randomBytes(4).toString('hex')}`;
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  const first = new PostgresChatMessageHistory({ tableName, sessionId: 'unused', poolConfig: { connectionString: url, max: 10 } });
  await first.clear(); // creates the table (CREATE TABLE IF NOT EXISTS), as its first call would
  const history = perSession((session) => new PostgresChatMessageHistory({ tableName, sessionId: session, pool: first.pool }));
  const [stored] = mapChatMessagesToStoredMessages([kilobyteChatMessage(0)]);
  const rowJson = JSON.stringify({ ...stored?.data, type: stored?.type });
  return {
    side: {
      name,
      perCall: 'LangChain PostgresChatMessageHistory: INSERT per message into a table with no index on session_id; getMessages selects every row of the session (a scan of the table), then the last 20 are kept.',
      append: (session, i) => history(session).addMessage(kilobyteChatMessage(i)),
      readNewest20: async (session) => (await history(session).getMessages()).slice(-20),
      async fill(session, length) {
        await sql.unsafe(`INSERT INTO ${tableName} (session_id, message) SELECT $1, $2::text::jsonb FROM generate_series(1, $3::int)`, [session, rowJson, length]);
        await sql.unsafe(`ANALYZE ${tableName}`);
      },
    },
    async dispose() {
      await sql.unsafe(`DROP TABLE IF EXISTS ${tableName}`).catch(() => undefined);
      await first.end();
      await sql.end({ timeout: 5 });
    },
  };
}

/** A DynamoDB item holds at most 400 KB: LangChain's whole history must fit in one. */
const DYNAMO_PEER_MAX_LENGTH = 350;

/** LangChain's DynamoDB chat history (`@langchain/community`): the whole history is one item, rewritten per append, read whole. */
export async function langchainDynamo(config: DynamoDBClientConfig, name: string): Promise<OpenedPeer> {
  const client = new DynamoDBClient(config);
  const tableName = `bench_lc_${randomBytes(4).toString('hex')}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  const history = perSession((session) => new DynamoDBChatMessageHistory({ tableName, sessionId: session, config }));
  return {
    side: {
      name,
      perCall: 'LangChain DynamoDBChatMessageHistory: the whole history is one item; addMessage is an UpdateItem with list_append; getMessages is a GetItem of the whole item, then the last 20 are kept.',
      maxLength: { length: DYNAMO_PEER_MAX_LENGTH, reason: 'the whole history is one item, and an item holds at most 400 KB (about 380 messages of 1 KB)' },
      append: (session, i) => history(session).addMessage(kilobyteChatMessage(i)),
      readNewest20: async (session) => (await history(session).getMessages()).slice(-20),
      async fill(session, length) {
        for (let done = 0; done < length; done += 50) {
          await history(session).addMessages(Array.from({ length: Math.min(50, length - done) }, (_, k) => kilobyteChatMessage(done + k)));
        }
      },
    },
    async dispose() {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    },
  };
}
