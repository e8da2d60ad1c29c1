import { randomBytes } from 'node:crypto';
import { PostgresSessionStore } from '@sessions/postgres';
import postgres, { type Sql } from 'postgres';
import { compare, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchResult, BenchSuite } from '../suite.js';

/**
 * Scale: the newest-20 read of PostgresSessionStore in a table of 10,000,000 messages against
 * the same read in a table holding only the session read (10 messages): the read must not
 * grow with the table (aim: at most 1.2 times the time, a ratio of at least 0.83). Two sessions
 * of the big table are read: one of 10 messages and one of 1,000,000. The big table is filled
 * with raw SQL (generate_series, foreign-key triggers off for the fill): set-up, not measured.
 */
const fmt = (n: number) => n.toLocaleString('en-US');
const USER = 'bench-user';
const TABLE_MESSAGES = 10_000_000;
const LONG_SESSION = 1_000_000;
const FILL_SESSION_LENGTH = 1_000;
/** Messages inserted per fill statement. */
const CHUNK = 1_000_000;

async function createSession(sql: Pick<Sql, 'unsafe'>, s: string, id: string, length: number): Promise<void> {
  await sql.unsafe(
    `INSERT INTO ${s}.sessions (user_id, id, metadata, created_at, updated_at, last_seq, message_count) VALUES ($1, $2, '{}', now(), now(), $3::int, $3::int)`,
    [USER, id, length],
  );
}

/** Messages `first..last` of session `id` (~120-byte chat messages). */
async function fillMessages(sql: Pick<Sql, 'unsafe'>, s: string, id: string | null, first: number, last: number): Promise<void> {
  // id null: filler sessions of FILL_SESSION_LENGTH messages each, named by their number.
  const session = id === null ? `$1 || ((g - 1) / ${FILL_SESSION_LENGTH})` : '$1';
  const seq = id === null ? `((g - 1) % ${FILL_SESSION_LENGTH}) + 1` : 'g';
  await sql.unsafe(
    `INSERT INTO ${s}.session_messages (user_id, session_id, seq, message, created_at)
     SELECT '${USER}', ${session}, ${seq}, json_build_object('role', CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,
       'content', 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor', 'n', g), now()
     FROM generate_series($2::int, $3::int) AS g`,
    [id ?? 'fill-', first, last],
  );
}

/**
 * The server's side of one newest-20 read (the store's statement, written out): median
 * execution time over `times` runs of EXPLAIN ANALYZE, and the buffers one run touches. Inside
 * the server, so a busy client machine moves it less than a round trip.
 */
async function serverRead(sql: Sql, s: string, session: string, times: number): Promise<{ ms: number; buffers: number }> {
  const text = `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
    SELECT seq::float8 AS seq, (extract(epoch FROM created_at) * 1000)::float8 AS created_at, message::text AS message FROM (
      SELECT m.seq, m.created_at, m.message FROM ${s}.session_messages m
      WHERE m.user_id = $1 AND m.session_id = $2 AND m.seq > 0 AND m.seq < 9007199254740992
        AND EXISTS (SELECT 1 FROM ${s}.sessions x WHERE x.user_id = $1 AND x.id = $2 AND (x.expires_at IS NULL OR x.expires_at > now()))
      ORDER BY m.seq DESC LIMIT (SELECT 20::bigint)) newest ORDER BY seq`;
  const runs: number[] = [];
  let buffers = 0;
  for (let i = 0; i < times; i++) {
    const [row] = (await sql.unsafe(text, [USER, session])) as unknown as [{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }];
    const plan = row['QUERY PLAN'][0];
    runs.push(plan['Execution Time']);
    buffers = plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'];
  }
  runs.sort((a, b) => a - b);
  return { ms: runs[runs.length >> 1] ?? NaN, buffers };
}

const suite: BenchSuite = {
  name: 'postgres-scale',
  needs: ['postgres'],
  async run(context: BenchContext): Promise<BenchResult[]> {
    if (!context.postgresUrl) throw new Error('the postgres-scale suite needs SESSIONS_POSTGRES_URL');
    const tag = randomBytes(4).toString('hex');
    const big = `bench_scale_${tag}`;
    const small = `bench_small_${tag}`;
    const sql = postgres(context.postgresUrl, { max: 4, onnotice: () => undefined });
    const bigStore = new PostgresSessionStore({ client: sql, schema: big });
    const smallStore = new PostgresSessionStore({ client: sql, schema: small });
    const options: MeasureOptions = { ops: context.quick ? 200 : 1_000, runs: context.quick ? 3 : 9 };
    const tableMessages = context.quick ? TABLE_MESSAGES / 10 : TABLE_MESSAGES;
    const results: BenchResult[] = [];
    try {
      await bigStore.setup();
      await smallStore.setup();
      await createSession(sql, `"${small}"`, 'short', 10);
      await fillMessages(sql, `"${small}"`, 'short', 1, 10);
      const s = `"${big}"`;
      const started = Date.now();
      await sql.begin(async (tx) => {
        // The fill alone skips the foreign-key checks (a throwaway server's superuser): every
        // row's session is created just above or below, in this transaction.
        await tx.unsafe('SET LOCAL session_replication_role = replica');
        await createSession(tx, s, 'short', 10);
        await createSession(tx, s, 'long', LONG_SESSION);
        await fillMessages(tx, s, 'short', 1, 10);
        for (let first = 1; first <= LONG_SESSION; first += CHUNK) await fillMessages(tx, s, 'long', first, Math.min(LONG_SESSION, first + CHUNK - 1));
        const fillers = tableMessages - LONG_SESSION - 10;
        await tx.unsafe(
          `INSERT INTO ${s}.sessions (user_id, id, metadata, created_at, updated_at, last_seq, message_count)
           SELECT $1, 'fill-' || n, '{}', now(), now(), $2::int, $2::int FROM generate_series(0, $3::int - 1) AS n`,
          [USER, FILL_SESSION_LENGTH, Math.ceil(fillers / FILL_SESSION_LENGTH)],
        );
        for (let first = 1; first <= fillers; first += CHUNK) await fillMessages(tx, s, null, first, Math.min(fillers, first + CHUNK - 1));
      });
      await sql.unsafe(`VACUUM ANALYZE ${s}.sessions, ${s}.session_messages`);
      await sql.unsafe(`VACUUM ANALYZE "${small}".sessions, "${small}".session_messages`);
      const [{ total }] = (await sql.unsafe(`SELECT count(*)::int AS total FROM ${s}.session_messages`)) as unknown as [{ total: number }];
      const fillSeconds = Math.round((Date.now() - started) / 1000);
      const read = (store: PostgresSessionStore, session: string) => () => store.getMessages(USER, session, { limit: 20 });
      const alone = await serverRead(sql, `"${small}"`, 'short', 200);
      for (const [session, length] of [
        ['short', 10],
        ['long', LONG_SESSION],
      ] as const) {
        const inBig = await serverRead(sql, s, session, 200);
        results.push({
          scenario: SCENARIOS.readFlat,
          variant: `postgres, ${fmt(total)} messages in the table, session of ${fmt(length)}`,
          subjectName: 'getMessages({ limit: 20 }) in the big table',
          baselineName: 'the same on a 10-message session alone in its table',
          aim: 0.83,
          note: `Issue 18 item 6: the newest-20 read with ${fmt(total)} messages in the table at most 1.2x the time of the same read in a 10-message session (a ratio of 0.83). The big table was filled in ${fillSeconds} s with generate_series. Inside the server (EXPLAIN ANALYZE, median of 200): ${inBig.ms.toFixed(3)} ms and ${inBig.buffers} buffers here, ${alone.ms.toFixed(3)} ms and ${alone.buffers} buffers alone.`,
          ...(await compare(read(bigStore, session), read(smallStore, 'short'), options)),
        });
      }
    } finally {
      for (const schema of [big, small]) await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await bigStore.close();
      await smallStore.close();
      await sql.end({ timeout: 5 });
    }
    return results;
  },
};

export default suite;
