import { randomBytes } from 'node:crypto';
import { PostgresSessionStore } from '@sessions/postgres';
import postgres, { type Sql } from 'postgres';
import { compare, kilobyteMessage, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchResult, BenchSuite } from '../suite.js';

/**
 * PostgresSessionStore against raw postgres.js on the same server, in the same process and
 * tables, each side with its own pool (prepared statements on both sides):
 * - an awaited append of one 1 KB message against a raw single-row INSERT in a transaction
 *   that also bumps the session's counter (BEGIN, UPDATE ... RETURNING, INSERT, COMMIT), and
 *   against the same work as one raw statement (a CTE), the fastest hand-written form;
 * - the same against a bare prepared INSERT of the message row into a table of the same shape
 *   (no session row, no foreign key): the floor of any append;
 * - the same with 32 appenders at once on one session;
 * - what NOTIFY costs a write: the raw CTE with pg_notify against the same CTE without it;
 * - getMessages({ limit: 20 }) with 1,000,000 messages in the table, against the raw indexed
 *   SELECT ... ORDER BY seq DESC LIMIT 20, at session lengths 10, 1,000 and 100,000; then the
 *   long session against the short one.
 */
const fmt = (n: number) => n.toLocaleString('en-US');
const READ_LENGTHS = [10, 1_000, 100_000];
const TABLE_MESSAGES = 1_000_000;
const FILL_SESSION_LENGTH = 1_000;
const USER = 'bench-user';

/** Bulk-fills sessions with raw SQL (generate_series): the fill is set-up, not measured. */
async function fill(sql: Sql, schema: string, sessions: { id: string; length: number }[]): Promise<void> {
  const s = `"${schema}"`;
  for (const { id, length } of sessions) {
    await sql.unsafe(
      `INSERT INTO ${s}.sessions (user_id, id, metadata, created_at, updated_at, last_seq, message_count)
       VALUES ($1, $2, '{}', now(), now(), $3::int, $3::int)`,
      [USER, id, length],
    );
    // ~300-byte chat messages: the rows read are the same for the store and the raw query.
    await sql.unsafe(
      `INSERT INTO ${s}.session_messages (user_id, session_id, seq, message, created_at)
       SELECT $1, $2, g, json_build_object('role', CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,
         'content', repeat('lorem ipsum dolor ', 14), 'n', g), now()
       FROM generate_series(1, $3::int) AS g`,
      [USER, id, length],
    );
  }
  await sql.unsafe(`ANALYZE ${s}.sessions, ${s}.session_messages`);
}

const suite: BenchSuite = {
  name: 'postgres',
  needs: ['postgres'],
  async run(context: BenchContext): Promise<BenchResult[]> {
    if (!context.postgresUrl) throw new Error('the postgres suite needs SESSIONS_POSTGRES_URL');
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const s = `"${schema}"`;
    const storeSql = postgres(context.postgresUrl, { max: 16, onnotice: () => undefined });
    const rawSql = postgres(context.postgresUrl, { max: 16, onnotice: () => undefined });
    const store = new PostgresSessionStore({ client: storeSql, schema });
    await store.setup();
    // Nine interleaved runs: the median holds up better on a busy machine than five.
    const awaited: MeasureOptions = { ops: context.quick ? 100 : 300, runs: context.quick ? 3 : 9 };
    const concurrent: MeasureOptions = { ops: context.quick ? 400 : 1_600, runs: context.quick ? 3 : 9, concurrency: 32 };
    const results: BenchResult[] = [];

    const append = (session: string) => (i: number) => store.append(USER, session, kilobyteMessage(i));
    const rawTransaction = (session: string) => (i: number) =>
      rawSql.begin(async (tx) => {
        const [row] = await tx.unsafe(
          `UPDATE ${s}.sessions SET last_seq = last_seq + 1, message_count = message_count + 1, updated_at = now()
           WHERE user_id = $1 AND id = $2 RETURNING last_seq`,
          [USER, session],
          { prepare: true },
        );
        await tx.unsafe(
          `INSERT INTO ${s}.session_messages (user_id, session_id, seq, message, created_at) VALUES ($1, $2, $3, $4::text::json, now())`,
          [USER, session, row!['last_seq'] as string, JSON.stringify(kilobyteMessage(i))],
          { prepare: true },
        );
      });
    const rawStatement = (session: string) => (i: number) =>
      rawSql.unsafe(
        `WITH bumped AS (
           UPDATE ${s}.sessions SET last_seq = last_seq + 1, message_count = message_count + 1, updated_at = now()
           WHERE user_id = $1 AND id = $2 RETURNING last_seq)
         INSERT INTO ${s}.session_messages (user_id, session_id, seq, message, created_at)
         SELECT $1, $2, last_seq, $3::text::json, now() FROM bumped`,
        [USER, session, JSON.stringify(kilobyteMessage(i))],
        { prepare: true },
      );
    // The floor: one row into a table shaped like session_messages, no session row to keep.
    let bareSeq = 0;
    const bareInsert = (session: string) => (i: number) =>
      rawSql.unsafe(
        `INSERT INTO ${s}.bare_messages (user_id, session_id, seq, message, created_at) VALUES ($1, $2, $3, $4::text::json, now())`,
        [USER, session, ++bareSeq, JSON.stringify(kilobyteMessage(i))],
        { prepare: true },
      );
    // The raw CTE with the notification every store write sends (a 16-hex payload, as the store's).
    const rawNotifying = (session: string) => (i: number) =>
      rawSql.unsafe(
        `WITH bumped AS (
           UPDATE ${s}.sessions SET last_seq = last_seq + 1, message_count = message_count + 1, updated_at = now()
           WHERE user_id = $1 AND id = $2 RETURNING last_seq),
         inserted AS (INSERT INTO ${s}.session_messages (user_id, session_id, seq, message, created_at)
           SELECT $1, $2, last_seq, $3::text::json, now() FROM bumped),
         notified AS (SELECT pg_notify('sessions.${schema}', left(md5($2), 16)) FROM bumped)
         SELECT 1 FROM notified`,
        [USER, session, JSON.stringify(kilobyteMessage(i))],
        { prepare: true },
      );
    const read = (session: string) => () => store.getMessages(USER, session, { limit: 20 });
    const rawRead = (session: string) => async () =>
      (await rawSql.unsafe(
        `SELECT seq, created_at, message FROM ${s}.session_messages
         WHERE user_id = $1 AND session_id = $2 ORDER BY seq DESC LIMIT 20`,
        [USER, session],
        { prepare: true },
      )).reverse();

    try {
      // Appends: the store's sessions are created by its first append; the raw ones by the fill.
      await fill(rawSql, schema, [
        { id: 'raw-append', length: 0 },
        { id: 'raw-append-16', length: 0 },
        { id: 'raw-notify', length: 0 },
        { id: 'raw-notify-16', length: 0 },
      ]);
      await rawSql.unsafe(`CREATE TABLE ${s}.bare_messages (user_id text COLLATE "C" NOT NULL, session_id text COLLATE "C" NOT NULL,
        seq bigint NOT NULL, message json NOT NULL, created_at timestamptz(3) NOT NULL, PRIMARY KEY (user_id, session_id, seq))`);
      await store.append(USER, 'append', kilobyteMessage(0));
      await store.append(USER, 'append-16', kilobyteMessage(0));
      const appendNote =
        'append: one prepared statement (UPDATE of the session row with the expiry and expectedLastSeq checks, the message insert, pg_notify; an idempotency key adds its check and insert; a session the store has not written yet gets an upsert instead). Raw transaction: BEGIN, UPDATE ... RETURNING, INSERT, COMMIT (4 round trips). Raw statement: the UPDATE and INSERT as one CTE, without the checks.';
      results.push({
        scenario: SCENARIOS.appendAwaited,
        variant: 'postgres, raw: transaction',
        subjectName: 'PostgresSessionStore.append',
        baselineName: 'postgres.js UPDATE + INSERT in a transaction',
        aim: 0.8,
        note: appendNote,
        ...(await compare(append('append'), rawTransaction('raw-append'), awaited)),
      });
      results.push({
        scenario: SCENARIOS.appendAwaited,
        variant: 'postgres, raw: one statement',
        subjectName: 'PostgresSessionStore.append',
        baselineName: 'postgres.js UPDATE + INSERT as one CTE',
        ...(await compare(append('append'), rawStatement('raw-append'), awaited)),
      });
      results.push({
        scenario: SCENARIOS.appendAwaited,
        variant: 'postgres, raw: bare INSERT',
        subjectName: 'PostgresSessionStore.append',
        baselineName: 'postgres.js prepared INSERT of the row alone',
        aim: 0.85,
        note: 'The floor: a prepared single-row INSERT into a table of the same shape and primary key, with no session row to bump (no seq assignment, count, updatedAt or expiry) and no foreign key.',
        ...(await compare(append('append'), bareInsert('bare'), awaited)),
      });
      results.push({
        scenario: SCENARIOS.appendAwaited,
        variant: 'postgres, NOTIFY on a write',
        subjectName: 'raw CTE + pg_notify',
        baselineName: 'postgres.js UPDATE + INSERT as one CTE',
        note: 'What the change notification costs a write, on its own: the raw CTE with the pg_notify every store write runs (one channel per schema, a 16-hex payload), against the same CTE without it. No one listens.',
        ...(await compare(rawNotifying('raw-notify'), rawStatement('raw-append'), awaited)),
      });
      results.push({
        scenario: SCENARIOS.appendInFlight,
        variant: 'postgres, raw: transaction',
        subjectName: 'PostgresSessionStore.append',
        baselineName: 'postgres.js UPDATE + INSERT in a transaction',
        aim: 0.8,
        note: '32 appenders (a pool of 16 connections per side): every appender of a session waits for its row lock: the store holds it for one statement, the raw transaction for 3 round trips.',
        ...(await compare(append('append-16'), rawTransaction('raw-append-16'), concurrent)),
      });
      results.push({
        scenario: SCENARIOS.appendInFlight,
        variant: 'postgres, raw: one statement',
        subjectName: 'PostgresSessionStore.append',
        baselineName: 'postgres.js UPDATE + INSERT as one CTE',
        ...(await compare(append('append-16'), rawStatement('raw-append-16'), concurrent)),
      });
      results.push({
        scenario: SCENARIOS.appendInFlight,
        variant: 'postgres, raw: bare INSERT',
        subjectName: 'PostgresSessionStore.append',
        baselineName: 'postgres.js prepared INSERT of the row alone',
        aim: 0.85,
        ...(await compare(append('append-16'), bareInsert('bare-16'), concurrent)),
      });
      results.push({
        scenario: SCENARIOS.appendInFlight,
        variant: 'postgres, NOTIFY on a write',
        subjectName: 'raw CTE + pg_notify',
        baselineName: 'postgres.js UPDATE + INSERT as one CTE',
        note: 'At 32 in flight NOTIFY also serialises the commits that notify (PostgreSQL takes one lock for the notification queue at commit).',
        ...(await compare(rawNotifying('raw-notify-16'), rawStatement('raw-append-16'), concurrent)),
      });

      // Reads: a table of 1,000,000 messages, the measured sessions among them.
      const measured = READ_LENGTHS.map((length) => ({ id: `len-${length}`, length }));
      const rest = TABLE_MESSAGES - READ_LENGTHS.reduce((a, b) => a + b, 0);
      const fillers = Array.from({ length: Math.ceil(rest / FILL_SESSION_LENGTH) }, (_, i) => ({ id: `fill-${i}`, length: FILL_SESSION_LENGTH }));
      await fill(rawSql, schema, [...measured, ...fillers]);
      const [{ total }] = (await rawSql.unsafe(`SELECT count(*)::int AS total FROM ${s}.session_messages`)) as unknown as [{ total: number }];
      for (const { id, length } of measured) {
        results.push({
          scenario: SCENARIOS.read,
          variant: `postgres, session length ${fmt(length)} (${fmt(total)} messages in the table)`,
          subjectName: 'PostgresSessionStore.getMessages({ limit: 20 })',
          baselineName: 'postgres.js SELECT ... ORDER BY seq DESC LIMIT 20',
          aim: 0.8,
          note: 'getMessages: one prepared statement, a backward primary-key range scan of 20 rows plus the session row (expiry check); messages parsed from JSON text, Dates built. The raw SELECT reads the same 20 rows (postgres.js parses json and timestamptz itself).',
          ...(await compare(read(id), rawRead(id), awaited)),
        });
      }
      const [short, , long] = measured as [{ id: string }, unknown, { id: string }];
      results.push({
        scenario: SCENARIOS.readFlat,
        variant: `postgres, ${fmt(READ_LENGTHS[2]!)} vs ${fmt(READ_LENGTHS[0]!)} messages`,
        subjectName: 'getMessages({ limit: 20 }) on the long session',
        baselineName: 'the same on the short session',
        aim: 0.8,
        note: 'Same call on the longest and the shortest session: about 1 means read cost does not grow with history.',
        ...(await compare(read(long.id), read(short.id), awaited)),
      });
    } finally {
      await rawSql.unsafe(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
      await store.close();
      await Promise.all([storeSql.end({ timeout: 5 }), rawSql.end({ timeout: 5 })]);
    }
    return results;
  },
};

export default suite;
