import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteSessionStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import { compare, figureOf, kilobyteMessage, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

/**
 * SqliteSessionStore against raw better-sqlite3 on the same file, in the same process, both
 * connections with the store's pragmas (WAL, synchronous=NORMAL, busy_timeout=5000):
 * - an awaited append of one 1 KB message against a raw `BEGIN IMMEDIATE` transaction that
 *   bumps the session row (UPDATE ... RETURNING last_seq) and inserts the message;
 * - the same with 32 appenders in flight (better-sqlite3 is synchronous: they run one by one);
 * - getMessages({ limit: 20 }) against the raw indexed SELECT ... ORDER BY seq DESC LIMIT 20
 *   (rows parsed from JSON, as the store returns objects) at session lengths 10, 1,000 and
 *   100,000, then the long session against the 1,000 one;
 * - open: a fresh process imports the package, opens the file and reads the newest 20.
 */
const fmt = (n: number) => n.toLocaleString('en-US');
const READ_LENGTHS = [10, 1_000, 100_000];
const USER = 'bench-user';

function pragmas(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

/** Bulk-fills sessions with raw inserts in one transaction: set-up, not measured. */
function fill(db: Database.Database, sessions: { id: string; length: number }[]): void {
  const insert = db.prepare('INSERT INTO session_messages (sid, seq, created_at, body) VALUES (?, ?, ?, ?)');
  const count = db.prepare('UPDATE sessions SET last_seq = ?, message_count = ? WHERE user_id = ? AND id = ? RETURNING sid');
  db.transaction(() => {
    for (const { id, length } of sessions) {
      const { sid } = count.get(length, length, USER, id) as { sid: number };
      for (let seq = 1; seq <= length; seq++) insert.run(sid, seq, Date.now(), JSON.stringify(kilobyteMessage(seq)));
    }
  }).immediate();
}

/** ms of each phase of opening in a fresh process (the package from its built dist/). */
function openInFreshProcess(file: string): { importMs: number; openMs: number; firstReadMs: number } {
  const script = `
    const t0 = performance.now();
    const { SqliteSessionStore } = await import('@sessions/sqlite');
    const t1 = performance.now();
    const store = new SqliteSessionStore({ path: ${JSON.stringify(file)} });
    const t2 = performance.now();
    await store.getMessages(${JSON.stringify(USER)}, 'len-100000', { limit: 20 });
    const t3 = performance.now();
    await store.close();
    process.stdout.write(JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, firstReadMs: t3 - t2 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dirname(fileURLToPath(import.meta.url)) }).toString()) as {
    importMs: number;
    openMs: number;
    firstReadMs: number;
  };
}

const suite: BenchSuite = {
  name: 'sqlite',
  needs: [],
  async run(context: BenchContext): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-bench-sqlite-'));
    const file = join(dir, 'bench.db');
    const store = new SqliteSessionStore({ path: file });
    await store.setup();
    const raw = new Database(file);
    pragmas(raw);
    const awaited: MeasureOptions = { ops: context.quick ? 300 : 2_000, runs: context.quick ? 3 : 9 };
    const concurrent: MeasureOptions = { ops: context.quick ? 400 : 3_200, runs: context.quick ? 3 : 9, concurrency: 32 };
    const results: BenchRow[] = [];
    try {
      const measured = READ_LENGTHS.map((length) => ({ id: `len-${length}`, length }));
      for (const { id } of [...measured, { id: 'raw-append' }]) await store.createSession(USER, { sessionId: id });
      fill(raw, [...measured, { id: 'raw-append', length: 0 }]);
      const rawSid = (raw.prepare('SELECT sid FROM sessions WHERE user_id = ? AND id = ?').get(USER, 'raw-append') as { sid: number }).sid;
      const bump = raw.prepare('UPDATE sessions SET last_seq = last_seq + 1, message_count = message_count + 1, updated_at = ? WHERE sid = ? RETURNING last_seq');
      const insert = raw.prepare('INSERT INTO session_messages (sid, seq, created_at, body) VALUES (?, ?, ?, ?)');
      const rawTransaction = raw.transaction((i: number) => {
        const { last_seq: seq } = bump.get(Date.now(), rawSid) as { last_seq: number };
        insert.run(rawSid, seq, Date.now(), JSON.stringify(kilobyteMessage(i)));
      });
      const append = (i: number) => store.append(USER, 'append', kilobyteMessage(i));
      const rawAppend = async (i: number) => rawTransaction.immediate(i);
      await store.append(USER, 'append', kilobyteMessage(0));
      const appendNote =
        'append: one BEGIN IMMEDIATE transaction: the session row (expiry), the message insert, the session row update (last_seq, count, updated_at, expiry). Raw: BEGIN IMMEDIATE, UPDATE ... RETURNING last_seq, INSERT, COMMIT. Both on a file in WAL mode, synchronous=NORMAL.';
      results.push({
        scenario: SCENARIOS.appendAwaited,
        variant: 'sqlite (file, WAL)',
        subjectName: 'SqliteSessionStore.append',
        baselineName: 'better-sqlite3 UPDATE + INSERT in a transaction',
        aim: 0.8,
        note: appendNote,
        ...(await compare(append, rawAppend, awaited)),
      });
      results.push({
        scenario: SCENARIOS.appendInFlight,
        variant: 'sqlite (file, WAL)',
        subjectName: 'SqliteSessionStore.append',
        baselineName: 'better-sqlite3 UPDATE + INSERT in a transaction',
        aim: 0.8,
        note: 'better-sqlite3 is synchronous: 32 appenders in flight run one after another on the JavaScript thread.',
        ...(await compare(append, rawAppend, concurrent)),
      });

      const newest = raw.prepare('SELECT seq, created_at, body FROM session_messages WHERE sid = ? ORDER BY seq DESC LIMIT 20');
      const sidOf = raw.prepare('SELECT sid FROM sessions WHERE user_id = ? AND id = ?');
      const read = (session: string) => () => store.getMessages(USER, session, { limit: 20 });
      const rawRead = (session: string) => {
        const { sid } = sidOf.get(USER, session) as { sid: number };
        return async () =>
          (newest.all(sid) as { seq: number; created_at: number; body: string }[])
            .reverse()
            .map((row) => ({ seq: row.seq, createdAt: new Date(row.created_at), message: JSON.parse(row.body) as unknown }));
      };
      const total = READ_LENGTHS.reduce((a, b) => a + b, 0);
      for (const { id, length } of measured) {
        results.push({
          scenario: SCENARIOS.read,
          variant: `sqlite, session length ${fmt(length)} (${fmt(total)} messages in the file)`,
          subjectName: 'SqliteSessionStore.getMessages({ limit: 20 })',
          baselineName: 'better-sqlite3 SELECT ... ORDER BY seq DESC LIMIT 20',
          aim: 0.9,
          note: 'getMessages: the live session row by (user_id, id), then a backward walk of the (sid, seq) key; messages parsed from JSON text, Dates built. The raw SELECT (session row number known) reads the same rows and parses them the same way.',
          ...(await compare(read(id), rawRead(id), awaited)),
        });
      }
      results.push({
        scenario: SCENARIOS.readFlat,
        variant: `sqlite, ${fmt(READ_LENGTHS[2]!)} vs ${fmt(READ_LENGTHS[1]!)} messages`,
        subjectName: 'getMessages({ limit: 20 }) on the long session',
        baselineName: 'the same on a session of 1,000',
        aim: 0.8,
        note: 'Same call, 20 messages read from each: about 1 means read cost does not grow with history. (The 10-message session returns only 10, so it is not the reference.)',
        ...(await compare(read('len-100000'), read('len-1000'), awaited)),
      });

      const opens = Array.from({ length: context.quick ? 3 : 7 }, () => openInFreshProcess(file));
      results.push({
        kind: 'figures',
        scenario: 'Open (SQLite)',
        variant: 'sqlite, fresh process, file of 101,010 messages',
        subjectName: 'import @sessions/sqlite, new SqliteSessionStore, first getMessages({ limit: 20 })',
        figures: {
          'import ms': figureOf(opens.map((o) => o.importMs)),
          'open ms': figureOf(opens.map((o) => o.openMs)),
          'first read ms': figureOf(opens.map((o) => o.firstReadMs)),
        },
        note: 'import runs from the built dist/ (npm run build first); it includes @sessions/core. open includes loading the native addon and the pragmas.',
      });
    } finally {
      await store.close();
      raw.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};

export default suite;
