import { randomBytes } from 'node:crypto';
import { mapChatMessagesToStoredMessages } from '@langchain/core/messages';
import { PostgresChatMessageHistory } from '@langchain/community/stores/message/postgres';
import { PostgresSessionStore } from '@sessions/postgres';
import postgres from 'postgres';
import { kilobyteMessage } from '../measure.js';
import { kilobyteChatMessage } from '../peers/langchain-messages.js';
import { manySessions, storeVersusPeer, type ChatHistorySide, type PeerPlan, type PeerSide } from '../peers/peer-rows.js';
import { storeSide } from '../peers/store-side.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

const PER_CALL =
  'LangChain PostgresChatMessageHistory (pg): addMessage is one INSERT into a table (id SERIAL, session_id, message JSONB) with no index on session_id; getMessages is SELECT message ... WHERE session_id = $1 ORDER BY id: every message of the session, found by a scan of the whole table, then we keep the last 20. No limit, no paging.';

/** The row the peer stores for message `i`: its `{ ...data, type }` JSONB. */
function peerRowJson(i: number): string {
  const [stored] = mapChatMessagesToStoredMessages([kilobyteChatMessage(i)]);
  return JSON.stringify({ ...stored?.data, type: stored?.type });
}

const RAW_NOTE =
  'Floor: the raw postgres.js statement of the postgres suite, in the store\'s own tables (sessions created beforehand): one CTE that bumps the session row\'s last_seq and inserts the message, without the store\'s checks.';

/** The least a raw postgres.js append can do for the same result, on sessions created up front. */
async function rawFloor(sql: postgres.Sql, schema: string, sessions: number, runs: number): Promise<ChatHistorySide> {
  const s = `"${schema}"`;
  await sql.unsafe(
    `INSERT INTO ${s}.sessions (user_id, id, metadata, created_at, updated_at, last_seq, message_count)
     SELECT 'bench-user', 'many-' || r || '-' || k, '{}', now(), now(), 0, 0
     FROM generate_series(0, $1::int) AS r, generate_series(0, $2::int) AS k`,
    [runs, sessions - 1],
  );
  return {
    name: 'postgres.js UPDATE + INSERT as one CTE',
    append: (session, i) =>
      sql.unsafe(
        `WITH bumped AS (
           UPDATE ${s}.sessions SET last_seq = last_seq + 1, message_count = message_count + 1, updated_at = now()
           WHERE user_id = 'bench-user' AND id = $1 RETURNING last_seq)
         INSERT INTO ${s}.session_messages (user_id, session_id, seq, message, created_at)
         SELECT 'bench-user', $1, last_seq, $2::text::json, now() FROM bumped`,
        [session, JSON.stringify(kilobyteMessage(i))],
        { prepare: true },
      ),
    readNewest20: () => Promise.resolve([]),
    fill: () => Promise.resolve(),
  };
}

/**
 * PostgresSessionStore against LangChain's PostgresChatMessageHistory (`@langchain/community`
 * over `pg`) on the same server, each with a pool of 10 connections. Scenarios 1 and 2, plus
 * a "cannot" row for listing.
 */
const suite: BenchSuite = {
  name: 'peers-postgres',
  needs: ['postgres'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    if (!context.postgresUrl) throw new Error('the peers-postgres suite needs SESSIONS_POSTGRES_URL');
    const tag = randomBytes(4).toString('hex');
    const schema = `bench_peer_${tag}`;
    const tableName = `lc_chat_${tag}`;
    const storeSql = postgres(context.postgresUrl, { max: 10, onnotice: () => undefined });
    const rawSql = postgres(context.postgresUrl, { max: 2, onnotice: () => undefined });
    const store = new PostgresSessionStore({ client: storeSql, schema });
    await store.setup();
    // The raw floor writes into tables of the same shape, in a schema of its own.
    const rawSchema = `bench_peer_raw_${tag}`;
    await new PostgresSessionStore({ client: rawSql, schema: rawSchema }).setup();
    const first = new PostgresChatMessageHistory({ tableName, sessionId: 'unused', poolConfig: { connectionString: context.postgresUrl, max: 10 } });
    await first.clear(); // creates the peer's table (CREATE TABLE IF NOT EXISTS), as its first call would
    const histories = new Map<string, PostgresChatMessageHistory>();
    const history = (session: string) => {
      let h = histories.get(session);
      if (!h) histories.set(session, (h = new PostgresChatMessageHistory({ tableName, sessionId: session, pool: first.pool })));
      return h;
    };
    const peer: PeerSide = {
      name: 'LangChain PostgresChatMessageHistory (@langchain/community, pg)',
      perCall: PER_CALL,
      append: (session, i) => history(session).addMessage(kilobyteChatMessage(i)),
      readNewest20: async (session) => (await history(session).getMessages()).slice(-20),
      async fill(session, length) {
        await rawSql.unsafe(`INSERT INTO ${tableName} (session_id, message) SELECT $1, $2::text::jsonb FROM generate_series(1, $3::int)`, [session, peerRowJson(0), length]);
        await rawSql.unsafe(`ANALYZE ${tableName}`);
      },
    };
    const plan: PeerPlan = {
      backend: 'postgres',
      awaited: { ops: context.quick ? 100 : 500, runs: context.quick ? 3 : 5 },
      inFlight: { ops: context.quick ? 400 : 2_000, runs: context.quick ? 3 : 5, concurrency: 32 },
      lengths: context.quick ? [10, 1_000] : [10, 1_000, 100_000],
      readOptions: (length) =>
        length >= 100_000 ? { ops: 3, runs: 3, warmup: 1 } : length >= 1_000 ? { ops: context.quick ? 20 : 60, runs: context.quick ? 3 : 5 } : { ops: context.quick ? 100 : 500, runs: context.quick ? 3 : 5 },
    };
    try {
      const ours = storeSide('PostgresSessionStore', store, 'bench-user', 1_000);
      const rows = await storeVersusPeer(ours, peer, plan);
      const many = { backend: 'postgres', sessions: context.quick ? 100 : 1_000, perSession: context.quick ? 20 : 100, runs: 3 };
      rows.push(await manySessions(ours, await rawFloor(rawSql, rawSchema, many.sessions, many.runs), many, { aim: 0.7, note: RAW_NOTE }));
      rows.push(await manySessions(ours, peer, many));
      rows.push({ kind: 'gap', scenario: SCENARIOS.list, variant: 'postgres', subjectName: peer.name, reason: 'no listing of sessions (no user, no session table)' });
      return rows;
    } finally {
      for (const dropped of [schema, rawSchema]) await rawSql.unsafe(`DROP SCHEMA IF EXISTS "${dropped}" CASCADE`).catch(() => undefined);
      await rawSql.unsafe(`DROP TABLE IF EXISTS ${tableName}`).catch(() => undefined);
      await store.close();
      await first.end();
      await Promise.all([storeSql.end({ timeout: 5 }), rawSql.end({ timeout: 5 })]);
    }
  },
};

export default suite;
