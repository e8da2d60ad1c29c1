import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand, QueryCommand, waitUntilTableExists, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { kilobyteMessage } from '../measure.js';
import type { OpenedPeer } from '../peers/langchain-sides.js';

/**
 * The raw-driver floors of the headline table: the least a driver does to append a message
 * to a conversation and read its newest 20 (parsed), with no seq bookkeeping, no session
 * record, no expiry, no checks. What a store costs on top of them is its price.
 */
const json = (i: number) => JSON.stringify(kilobyteMessage(i));

/** ioredis: RPUSH of the JSON text to a list per session; LRANGE -20 -1 + JSON.parse. */
export async function redisFloor(url: string, name: string): Promise<OpenedPeer> {
  const prefix = `bench-floor:${randomBytes(4).toString('hex')}`;
  const redis = new Redis(url);
  return {
    side: {
      name,
      perCall: 'RPUSH of the JSON text; LRANGE key -20 -1 + JSON.parse.',
      append: (session, i) => redis.rpush(`${prefix}:${session}`, json(i)),
      readNewest20: async (session) => (await redis.lrange(`${prefix}:${session}`, -20, -1)).map((m) => JSON.parse(m) as unknown),
      async fill(session, length) {
        for (let done = 0; done < length; done += 1_000) await redis.rpush(`${prefix}:${session}`, ...Array.from({ length: Math.min(1_000, length - done) }, (_, k) => json(done + k)));
      },
    },
    async dispose() {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** postgres.js: a prepared INSERT into (session_id, seq identity, message jsonb) with the primary key (session_id, seq); SELECT ... ORDER BY seq DESC LIMIT 20. */
export async function postgresFloor(url: string, name: string): Promise<OpenedPeer> {
  const table = `bench_floor_${randomBytes(4).toString('hex')}`;
  const sql = postgres(url, { max: 10, onnotice: () => undefined });
  await sql.unsafe(`CREATE TABLE ${table} (session_id text NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY, message jsonb NOT NULL, PRIMARY KEY (session_id, seq))`);
  return {
    side: {
      name,
      perCall: 'One prepared INSERT (session_id, message) into a table keyed (session_id, seq identity); SELECT message ... WHERE session_id = $1 ORDER BY seq DESC LIMIT 20 (an index walk), messages parsed by the driver.',
      append: (session, i) => sql.unsafe(`INSERT INTO ${table} (session_id, message) VALUES ($1, $2::text::jsonb)`, [session, json(i)], { prepare: true }),
      readNewest20: async (session) => (await sql.unsafe<{ message: unknown }[]>(`SELECT message FROM ${table} WHERE session_id = $1 ORDER BY seq DESC LIMIT 20`, [session], { prepare: true })).map((r) => r.message).reverse(),
      async fill(session, length) {
        await sql.unsafe(`INSERT INTO ${table} (session_id, message) SELECT $1, $2::text::jsonb FROM generate_series(1, $3::int)`, [session, json(0), length]);
        await sql.unsafe(`ANALYZE ${table}`);
      },
    },
    async dispose() {
      await sql.unsafe(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await sql.end({ timeout: 5 });
    },
  };
}

/** AWS SDK: PutItem of (pk session, sk seq, body); Query Limit 20, newest first, bodies parsed. */
export async function dynamoFloor(config: DynamoDBClientConfig, name: string): Promise<OpenedPeer> {
  const client = new DynamoDBClient(config);
  const TableName = `bench_floor_${randomBytes(4).toString('hex')}`;
  await client.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName });
  // The seq is the op index plus a fill offset: unique per session without a counter item.
  const item = (session: string, seq: number, i: number) => ({ pk: { S: session }, sk: { N: String(seq) }, body: { S: json(i) } });
  return {
    side: {
      name,
      perCall: 'PutItem of one item per message (no condition, no session item); Query of the session Limit 20 ScanIndexForward false, bodies parsed.',
      append: (session, i) => client.send(new PutItemCommand({ TableName, Item: item(session, 1_000_000 + i, i) })),
      async readNewest20(session) {
        const out = await client.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: session } }, ScanIndexForward: false, Limit: 20 }));
        return (out.Items ?? []).map((it) => JSON.parse(it['body']?.S ?? 'null') as unknown).reverse();
      },
      async fill(session, length) {
        for (let done = 0; done < length; done += 25) {
          const RequestItems = { [TableName]: Array.from({ length: Math.min(25, length - done) }, (_, k) => ({ PutRequest: { Item: item(session, done + k, done + k) } })) };
          let pending: typeof RequestItems | undefined = RequestItems;
          while (pending && Object.keys(pending).length) pending = (await client.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems as typeof RequestItems | undefined;
        }
      },
    },
    async dispose() {
      await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
      client.destroy();
    },
  };
}

/** better-sqlite3 on a file (WAL, synchronous=NORMAL): INSERT with seq = max + 1 in the statement; SELECT ... ORDER BY seq DESC LIMIT 20, bodies parsed. */
export function sqliteFloor(name: string): OpenedPeer {
  const dir = mkdtempSync(join(tmpdir(), 'sessions-bench-floor-'));
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE messages (session_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO messages (session_id, seq, body) VALUES (@session, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE session_id = @session), @body)');
  const newest = db.prepare('SELECT body FROM messages WHERE session_id = ? ORDER BY seq DESC LIMIT 20').pluck();
  return {
    side: {
      name,
      perCall: 'One INSERT whose seq is max(seq) + 1 of the session (an index probe), on a file in WAL mode, synchronous=NORMAL; SELECT body ... ORDER BY seq DESC LIMIT 20, bodies parsed.',
      append: (session, i) => Promise.resolve(insert.run({ session, body: json(i) })),
      readNewest20: (session) => Promise.resolve((newest.all(session) as string[]).map((b) => JSON.parse(b) as unknown).reverse()),
      fill(session, length) {
        db.transaction(() => {
          for (let k = 0; k < length; k++) insert.run({ session, body: json(k) });
        })();
        return Promise.resolve();
      },
    },
    dispose() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
