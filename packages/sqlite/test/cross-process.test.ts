import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { StoredMessage } from '@sessions/core';
import { SqliteSessionStore } from '@sessions/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.js';

/**
 * Several PROCESSES (and threads) append to one session of one file at once: nothing lost,
 * nothing doubled, each writer's order kept, every retried idempotency key a duplicate. 8 writers; the number
 * of appends per writer is SESSIONS_SQLITE_APPENDS (the full size, 2000).
 */
const WRITERS = 8;
const APPENDS = Number(process.env['SESSIONS_SQLITE_APPENDS'] ?? 2000);
const WRITER_SCRIPT = join(import.meta.dirname, 'support', 'append-writer.ts');
const THREAD_SCRIPT = join(import.meta.dirname, 'support', 'thread-writer.ts');

interface WriterReport {
  writer: number;
  appended: number;
  retries: number;
  badRetries: number;
  ms: number;
}

interface Child {
  ready: Promise<void>;
  done: Promise<WriterReport>;
  go(): void;
}

function startWriter(file: string, writer: number): Child {
  const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', WRITER_SCRIPT, file, String(writer), String(APPENDS)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<WriterReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`writer ${writer} exited with ${code}: ${err || out}`));
      resolve(JSON.parse(out.split('\n').filter(Boolean).at(-1)!) as WriterReport);
    });
  });
  // A writer that dies before "ready" must fail the test, not hang it.
  done.catch(() => markReady());
  return { ready, done, go: () => child.stdin.end('go\n') };
}

/** Reads the shared session and checks it holds exactly `appends` messages of each writer, in each writer's order. */
async function expectEveryWriterOnce(file: string, writers: number[], appends: number): Promise<StoredMessage<{ writer: number; i: number }>[]> {
  await using store = new SqliteSessionStore<{ writer: number; i: number }>({ path: file });
  const messages: StoredMessage<{ writer: number; i: number }>[] = [];
  for await (const message of store.readHistory('user', 'shared')) messages.push(message);
  const total = writers.length * appends;
  expect(messages.map((m) => m.seq), 'seqs 1..total, each once').toEqual(Array.from({ length: total }, (_, k) => k + 1));
  for (const writer of writers) {
    const own = messages.filter((m) => m.message.writer === writer).map((m) => m.message.i);
    expect(own, `writer ${writer}: each message once, in its own order`).toEqual(Array.from({ length: appends }, (_, i) => i));
  }
  const session = await store.getSession('user', 'shared', { limit: 0 });
  expect(session).toMatchObject({ messageCount: total, lastSeq: total });
  return messages;
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited with ${code}: ${err || out}`))));
  });
}

describe(`${WRITERS} processes appending to one SQLite file`, () => {
  const temp = tempDir('processes');
  afterAll(() => temp.remove());

  it(`${WRITERS} x ${APPENDS} appends (half with idempotency keys, some retried): 0 lost, 0 doubled, each writer's order kept`, async () => {
    const file = join(temp.dir, 'nested', 'shared.db');
    const setup = new SqliteSessionStore({ path: file });
    await setup.setup();
    await setup.close();

    const children = Array.from({ length: WRITERS }, (_, writer) => startWriter(file, writer));
    await Promise.all(children.map((c) => c.ready));
    const started = performance.now();
    for (const child of children) child.go();
    const reports = await Promise.all(children.map((c) => c.done));
    const seconds = (performance.now() - started) / 1000;
    console.log(`${WRITERS} processes x ${APPENDS} appends: ${seconds.toFixed(1)} s, ${Math.round((WRITERS * APPENDS) / seconds)} appends/s`);

    for (const report of reports) expect(report.badRetries, `writer ${report.writer}: retried keys must be duplicates`).toBe(0);
    const messages = await expectEveryWriterOnce(file, Array.from({ length: WRITERS }, (_, w) => w), APPENDS);
    // The writers really ran at once: their messages interleave in the log.
    const switches = messages.filter((m, k) => k > 0 && m.message.writer !== messages[k - 1]!.message.writer).length;
    console.log(`writer changes along the log: ${switches}`);
    expect(switches).toBeGreaterThan(WRITERS);
  }, 300_000);

  it("2 processes x 4 threads x 500 appends (each thread its own connection): 0 lost, 0 doubled, each writer's order kept", async () => {
    const file = join(temp.dir, 'threads.db');
    const setup = new SqliteSessionStore({ path: file });
    await setup.setup();
    await setup.close();
    const started = performance.now();
    await Promise.all([0, 1].map((p) => run([THREAD_SCRIPT, file, String(p * 4), '4', '500'])));
    console.log(`2 processes x 4 threads x 500 appends: ${((performance.now() - started) / 1000).toFixed(1)} s (start-up included)`);
    await expectEveryWriterOnce(file, Array.from({ length: 8 }, (_, w) => w), 500);
  }, 300_000);
});
