/**
 * Measures the SQLite store against raw better-sqlite3 on the same file with the same pragmas
 * (WAL, synchronous=NORMAL, busy_timeout=5000), in one process, runs interleaved:
 * - open: a fresh process imports the package, opens an existing file and reads once;
 * - append of one 1 KB message, awaited, against a raw `BEGIN IMMEDIATE` transaction that bumps
 *   the session row and inserts the message (the least a correct append does), and against a
 *   bare INSERT in a transaction;
 * - the newest 20 messages of a session of 10, 1,000 and 100,000 messages, against the raw indexed
 *   `SELECT ... ORDER BY seq DESC LIMIT 20` (and JSON.parse of each row, as the store returns objects).
 *
 * Build first (`npx tsc -b packages/sqlite/tsconfig.lib.json`: the open figure imports dist/),
 * then: node --import tsx packages/sqlite/scripts/measure.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSessionStore } from '../src/index.js';
import Database from 'better-sqlite3';

const OPS = Number(process.env['OPS'] ?? 2000);
const RUNS = Number(process.env['RUNS'] ?? 7);
const USER = 'bench-user';
const LONG = 100_000;

const filler = 'lorem ipsum dolor sit amet '.repeat(37).slice(0, 980);
const message = (i: number) => ({ role: i % 2 ? 'assistant' : 'user', content: filler, n: i });

const print = (line: string) => process.stdout.write(`${line}\n`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

type Op = (i: number) => unknown;

/** Wall time and CPU time (user + system of this process) of one run, in ms. */
async function timed(op: Op, offset: number): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < OPS; i++) await op(offset + i);
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

/**
 * µs per op of subject and baseline, median of interleaved runs, and the throughput ratio
 * (baseline time ÷ subject time), by wall time and by CPU time. On a machine shared with other
 * work the CPU figure is the steadier one: it does not count time spent descheduled.
 */
async function compare(name: string, subject: Op, baseline: Op): Promise<void> {
  await timed(subject, 0);
  await timed(baseline, 0);
  const s: { wall: number; cpu: number }[] = [];
  const b: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const offset = (r + 1) * OPS;
    if (r % 2) {
      b.push(await timed(baseline, offset));
      s.push(await timed(subject, offset));
    } else {
      s.push(await timed(subject, offset));
      b.push(await timed(baseline, offset));
    }
  }
  const us = (runs: { wall: number; cpu: number }[], key: 'wall' | 'cpu') => (median(runs.map((r) => r[key])) * 1000) / OPS;
  const figures = (key: 'wall' | 'cpu') =>
    `${key} ${us(s, key).toFixed(1).padStart(6)} / ${us(b, key).toFixed(1).padStart(6)} µs = ${(us(b, key) / us(s, key)).toFixed(2)}`;
  print(`${name.padEnd(62)} store / raw: ${figures('wall')}   ${figures('cpu')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'sessions-sqlite-measure-'));
const file = join(dir, 'bench.db');
try {
  const store = new SqliteSessionStore({ path: file });
  await store.setup();
  const raw = new Database(file);
  raw.pragma('busy_timeout = 5000');
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');

  // Fill: sessions of 10 and 100,000 messages, written raw in one transaction (set-up, not measured).
  await store.createSession(USER, { sessionId: 'short' });
  await store.createSession(USER, { sessionId: 'medium' });
  await store.createSession(USER, { sessionId: 'long' });
  await store.createSession(USER, { sessionId: 'append-store' });
  await store.createSession(USER, { sessionId: 'append-raw' });
  await store.createSession(USER, { sessionId: 'append-bare' });
  const sidOf = (id: string) => (raw.prepare('SELECT sid FROM sessions WHERE user_id = ? AND id = ?').get(USER, id) as { sid: number }).sid;
  const insert = raw.prepare('INSERT INTO session_messages (sid, seq, created_at, body) VALUES (?, ?, ?, ?)');
  raw.transaction(() => {
    for (const [id, length] of [['short', 10], ['medium', 1_000], ['long', LONG]] as const) {
      const sid = sidOf(id);
      for (let seq = 1; seq <= length; seq++) insert.run(sid, seq, Date.now(), JSON.stringify(message(seq)));
      raw.prepare('UPDATE sessions SET last_seq = ?, message_count = ? WHERE sid = ?').run(length, length, sid);
    }
  }).immediate();

  // Open, in fresh processes: import + construct + first read of the newest 20.
  const openScript = `
    const t0 = performance.now();
    const { SqliteSessionStore } = await import('@sessions/sqlite');
    const t1 = performance.now();
    const store = new SqliteSessionStore({ path: ${JSON.stringify(file)} });
    const t2 = performance.now();
    await store.getMessages(${JSON.stringify(USER)}, 'long', { limit: 20 });
    const t3 = performance.now();
    await store.close();
    console.log(JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, firstReadMs: t3 - t2, totalMs: t3 - t0 }));`;
  const rawOpenScript = `
    const t0 = performance.now();
    const { default: Database } = await import('better-sqlite3');
    const t1 = performance.now();
    const db = new Database(${JSON.stringify(file)});
    db.pragma('busy_timeout = 5000'); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
    const t2 = performance.now();
    db.prepare('SELECT m.seq, m.created_at, m.body FROM sessions s JOIN session_messages m ON m.sid = s.sid WHERE s.user_id = ? AND s.id = ? ORDER BY m.seq DESC LIMIT 20').all(${JSON.stringify(USER)}, 'long');
    const t3 = performance.now();
    db.close();
    console.log(JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, firstReadMs: t3 - t2, totalMs: t3 - t0 }));`;
  const rawOpens = Array.from({ length: 7 }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', rawOpenScript], { cwd: import.meta.dirname }).toString()) as Record<string, number>);
  const rawFigure = (key: string) => median(rawOpens.map((o) => o[key]!)).toFixed(1);
  print(`raw open (fresh process, median of 7): import ${rawFigure('importMs')} ms, open + pragmas ${rawFigure('openMs')} ms, first last-20 read ${rawFigure('firstReadMs')} ms, total ${rawFigure('totalMs')} ms`);
  const opens = Array.from({ length: 7 }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', openScript], { cwd: import.meta.dirname }).toString()) as Record<string, number>);
  const openFigure = (key: string) => median(opens.map((o) => o[key]!)).toFixed(1);
  print(`open (fresh process, median of 7): import ${openFigure('importMs')} ms, construct ${openFigure('openMs')} ms, first last-20 read ${openFigure('firstReadMs')} ms, total ${openFigure('totalMs')} ms`);

  const bump = raw.prepare<[number, number], { last_seq: number }>('UPDATE sessions SET last_seq = last_seq + 1, message_count = message_count + 1, updated_at = ? WHERE sid = ? RETURNING last_seq');
  const rawAppend = raw.transaction((sid: number, i: number) => {
    const row = bump.get(Date.now(), sid)!;
    insert.run(sid, row.last_seq, Date.now(), JSON.stringify(message(i)));
  });
  const rawSid = sidOf('append-raw');
  const bareSid = sidOf('append-bare');
  const bare = raw.transaction((i: number) => insert.run(bareSid, i + 1, Date.now(), JSON.stringify(message(i))));
  await compare('append 1 KB, awaited (raw: tx UPDATE..RETURNING + INSERT)', (i) => store.append(USER, 'append-store', message(i)), (i) => rawAppend.immediate(rawSid, i));
  await compare('append 1 KB, awaited (raw: tx with a bare INSERT)', (i) => store.append(USER, 'append-store', message(i)), (i) => bare.immediate(i));

  const newest = raw.prepare<[number], { seq: number; created_at: number; body: string }>('SELECT seq, created_at, body FROM session_messages WHERE sid = ? ORDER BY seq DESC LIMIT 20');
  for (const [id, label] of [['short', '10'], ['medium', '1,000'], ['long', '100,000']] as const) {
    const sid = sidOf(id);
    await compare(
      `newest 20 of ${label} messages (raw: indexed SELECT + JSON.parse)`,
      () => store.getMessages(USER, id, { limit: 20 }),
      () => newest.all(sid).reverse().map((row) => ({ seq: row.seq, createdAt: new Date(row.created_at), message: JSON.parse(row.body) as unknown })),
    );
  }
  await compare('store: newest 20 of 100,000 against of 1,000 (flatness)', () => store.getMessages(USER, 'long', { limit: 20 }), () => store.getMessages(USER, 'medium', { limit: 20 }));
  await store.close();
  raw.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
