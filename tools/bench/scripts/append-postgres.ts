// PostgresSessionStore.append against its floors and its peer, awaited one at a time and 32 in
// flight, runs interleaved (tools/bench's compare()), repeated `rounds` times so the spread on a
// loaded machine shows:
// - a bare prepared INSERT of the message row into a table of the same shape (no session row,
//   no foreign key, no checks): the issue's floor;
// - the raw CTE of the postgres suite (bump the session row, insert the message);
// - the same CTE with pg_notify: what NOTIFY adds to a write, measured on its own;
// - LangChain's PostgresChatMessageHistory.addMessage (pg);
// - a new session's first append (store) against a bare INSERT into a new session.
// `profile [appends]` runs only the store's append loop, for `node --cpu-prof`.
//
//   node tools/test-services/bin/with-services.mjs --services postgres -- \
//     npx tsx --conditions=@sessions/source tools/bench/scripts/append-postgres.ts [rounds]
//   node tools/test-services/bin/with-services.mjs --services postgres -- \
//     node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@sessions/source --import tsx tools/bench/scripts/append-postgres.ts profile [appends]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PostgresChatMessageHistory } from '@langchain/community/stores/message/postgres';
import { PostgresSessionStore } from '@sessions/postgres';
import postgres from 'postgres';
import { compare, kilobyteMessage, type MeasureOptions, type Operation } from '../src/measure.js';
import { kilobyteChatMessage } from '../src/peers/langchain-messages.js';

const url = process.env['SESSIONS_POSTGRES_URL'];
if (!url) throw new Error('run under with-services --services postgres');
const print = (line: string): void => void process.stdout.write(`${line}\n`);
const tag = randomBytes(3).toString('hex');
const schema = `bench_append_${tag}`;
const s = `"${schema}"`;
// Each side's connections are named, so `profile` can read their server processes' CPU time.
const storeSql = postgres(url, { max: 16, onnotice: () => undefined, fetch_types: false, connection: { application_name: `append-store-${tag}` } });
const rawSql = postgres(url, { max: 16, onnotice: () => undefined, fetch_types: false, connection: { application_name: `append-raw-${tag}` } });
const store = new PostgresSessionStore({ client: storeSql, schema });
await store.setup();
const lcTable = `lc_append_${tag}`;
const peer = new PostgresChatMessageHistory({ tableName: lcTable, sessionId: 'lc', poolConfig: { connectionString: url, max: 16, application_name: `append-lc-${tag}` } });

/** CPU time (µs) the server processes of one side's connections have used (the server runs on this machine). */
async function serverCpuUs(side: string): Promise<number> {
  const rows = await rawSql.unsafe(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [`append-${side}-${tag}`]);
  let ticks = 0;
  for (const { pid } of rows as unknown as { pid: number }[]) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1e6) / 100; // USER_HZ = 100 on Linux
}

const body = (i: number) => JSON.stringify(kilobyteMessage(i));
let rawSeq = 0;
// The floor: one row into a table shaped like session_messages (same primary key), with no
// foreign key and no session row to keep.
const bareInsert = (session: string): Operation => (i) =>
  rawSql.unsafe(`INSERT INTO ${s}.bare_messages (user_id, session_id, seq, message, created_at) VALUES ('u', $1, $2, $3::text::json, now())`, [session, ++rawSeq, body(i)], { prepare: true });
const cte = (notify: boolean) => (session: string): Operation => (i) =>
  rawSql.unsafe(
    `WITH bumped AS (
       UPDATE ${s}.sessions SET last_seq = last_seq + 1, message_count = message_count + 1, updated_at = now()
       WHERE user_id = 'u' AND id = $1 RETURNING last_seq),
     inserted AS (INSERT INTO ${s}.session_messages (user_id, session_id, seq, message, created_at)
       SELECT 'u', $1, last_seq, $2::text::json, now() FROM bumped)
     ${notify ? `, notified AS (SELECT pg_notify('sessions.${schema}', md5($1)) FROM bumped) SELECT 1 FROM notified` : 'SELECT 1'}`,
    [session, body(i)],
    { prepare: true },
  );
let fresh = 0;
const firstAppend: Operation = (i) => store.append('u', `first-${tag}-${fresh++}`, kilobyteMessage(i));
const bareFirst: Operation = (i) => bareInsert(`bare-first-${tag}-${fresh++}`)(i);

try {
  await peer.clear(); // creates the peer's table
  await rawSql.unsafe(`CREATE TABLE ${s}.bare_messages (user_id text COLLATE "C" NOT NULL, session_id text COLLATE "C" NOT NULL, seq bigint NOT NULL,
    message json NOT NULL, created_at timestamptz(3) NOT NULL, PRIMARY KEY (user_id, session_id, seq))`);
  await rawSql.unsafe(`INSERT INTO ${s}.sessions (user_id, id, metadata, created_at, updated_at, last_seq, message_count)
    VALUES ('u', 'raw', '{}', now(), now(), 0, 0), ('u', 'raw-notify', '{}', now(), now(), 0, 0), ('u', 'raw-32', '{}', now(), now(), 0, 0), ('u', 'raw-notify-32', '{}', now(), now(), 0, 0)`);
  await store.append('u', 'append', kilobyteMessage(0));
  await store.append('u', 'append-32', kilobyteMessage(0));
  if (process.argv[2] === 'profile') {
    // `profile [appends] [store|cte|bare|langchain]`: one side's loop alone, for --cpu-prof and
    // for its client CPU per call.
    const appends = Number(process.argv[3] ?? 10_000);
    const kind = process.argv[4] ?? 'store';
    const ops: Record<string, Operation> = {
      store: (i) => store.append('u', 'append', kilobyteMessage(i)),
      cte: cte(false)('raw'),
      bare: bareInsert('bare'),
      langchain: (i) => peer.addMessage(kilobyteChatMessage(i)),
    };
    const op = ops[kind];
    if (!op) throw new Error(`profile: unknown kind ${kind}`);
    const side = kind === 'store' ? 'store' : kind === 'langchain' ? 'lc' : 'raw';
    for (let i = 0; i < 500; i++) await op(i);
    const serverBefore = await serverCpuUs(side);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    for (let i = 0; i < appends; i++) await op(i);
    const used = process.cpuUsage(cpu);
    const wallUs = Number(process.hrtime.bigint() - started) / 1e3;
    const server = (await serverCpuUs(side)) - serverBefore;
    print(
      `${appends} x ${kind}: ${(wallUs / appends).toFixed(1)} µs wall, CPU per call: client ${((used.user + used.system) / appends).toFixed(1)} µs, server process ${(server / appends).toFixed(1)} µs`,
    );
  } else {
    const rounds = Number(process.argv[2] ?? 3);
    const cases: [string, MeasureOptions, string][] = [
      ['awaited', { ops: 1_000, runs: 5 }, ''],
      ['32 in flight', { ops: 3_000, runs: 5, concurrency: 32 }, '-32'],
    ];
    for (let round = 0; round < rounds; round++) {
      for (const [name, options, suffix] of cases) {
        const pairs: [string, Operation, Operation][] = [
          ['store / bare INSERT', (i) => store.append('u', `append${suffix}`, kilobyteMessage(i)), bareInsert(`bare${suffix}`)],
          ['store / raw CTE', (i) => store.append('u', `append${suffix}`, kilobyteMessage(i)), cte(false)(`raw${suffix}`)],
          ['raw CTE + pg_notify / raw CTE', cte(true)(`raw-notify${suffix}`), cte(false)(`raw${suffix}`)],
          ['store / LangChain addMessage', (i) => store.append('u', `append${suffix}`, kilobyteMessage(i)), (i) => peer.addMessage(kilobyteChatMessage(i))],
          ['store first append of a session / bare INSERT into a new session', firstAppend, bareFirst],
        ];
        for (const [label, subject, baseline] of pairs) {
          const r = await compare(subject, baseline, options);
          print(`round ${round + 1} ${name.padEnd(12)} ${label.padEnd(66)} ratio ${r.ratio.toFixed(3)}  (${Math.round(r.subject.opsPerSec)} vs ${Math.round(r.baseline.opsPerSec)} ops/s, spread ${(r.subject.spread * 100).toFixed(0)}% / ${(r.baseline.spread * 100).toFixed(0)}%)`);
        }
      }
    }
  }
} finally {
  await rawSql.unsafe(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
  await rawSql.unsafe(`DROP TABLE IF EXISTS ${lcTable}`).catch(() => undefined);
  await store.close();
  await peer.end();
  await Promise.all([storeSql.end({ timeout: 5 }), rawSql.end({ timeout: 5 })]);
}
