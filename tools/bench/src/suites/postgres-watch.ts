import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PostgresSessionStore } from '@sessions/postgres';
import postgres from 'postgres';
import { figureOf } from '../measure.js';
import type { BenchContext, BenchFigures, BenchRow, BenchSuite } from '../suite.js';

/** The table of the watch delays (the same one the other backends' suites fill). */
const WATCH_SCENARIO = '7. Watch: delay from an append in one process to a watcher in another';
const here = fileURLToPath(import.meta.url);
/** Wall-clock ms with fractions, comparable between two processes of one machine. */
const wallClock = () => performance.timeOrigin + performance.now();

/**
 * The writer, in a process of its own (this file run as a script): appends `count` messages
 * one at a time, a random 0-50 ms apart, each carrying the wall-clock time its append was called.
 */
async function writerMain([url, schema, user, session, count]: string[]): Promise<void> {
  const store = await PostgresSessionStore.fromUrl(url ?? '', { schema: schema ?? '', maxConnections: 1 });
  for (let i = 0; i < Number(count); i++) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
    await store.append(user ?? '', session ?? '', { role: 'user', content: `message ${i}`, sentAt: wallClock() });
  }
  await store.close();
}

function runWriter(args: string[]): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', here, 'watch-writer', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the writer process exited with ${code}`))));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * Delay from the call of an append in another process to the message reaching a watch in this
 * one, per message: each run watches a fresh session while a writer process appends; p50 and
 * p99 of each run, their medians over the runs.
 */
async function watchDelay(context: BenchContext, schema: string): Promise<BenchFigures> {
  const appends = context.quick ? 100 : 200;
  const runs = context.quick ? 1 : 3;
  const p50: number[] = [];
  const p99: number[] = [];
  const url = context.postgresUrl ?? '';
  const store = await PostgresSessionStore.fromUrl(url, { schema, maxConnections: 2 });
  await store.setup();
  try {
    for (let run = 0; run < runs; run++) {
      const session = `watch-${randomBytes(4).toString('hex')}`;
      await store.append('watcher', session, { role: 'system', content: 'start', sentAt: 0 });
      const delays: number[] = [];
      let writer: Promise<void> | undefined;
      // Core's default poll interval: with notifications it is a 5 s safety net only.
      for await (const change of store.watch('watcher', session)) {
        if (change.type !== 'appended') continue;
        const now = wallClock();
        for (const m of change.messages) if (m.seq > 1) delays.push(now - Number(m.message['sentAt']));
        // The writer starts once the watch has read the session (and listens).
        writer ??= runWriter([url, schema, 'watcher', session, String(appends)]);
        if (delays.length >= appends) break;
      }
      await writer;
      delays.sort((a, b) => a - b);
      p50.push(percentile(delays, 50));
      p99.push(percentile(delays, 99));
    }
  } finally {
    await store.close();
  }
  return {
    kind: 'figures',
    scenario: WATCH_SCENARIO,
    variant: 'postgres, LISTEN / NOTIFY',
    subjectName: 'PostgresSessionStore.watch',
    figures: { 'p50 (ms)': figureOf(p50), 'p99 (ms)': figureOf(p99) },
    note: `${appends} appends per run, ${runs} run(s), a random 0-50 ms apart. Each append runs pg_notify in its own statement; the store's one LISTEN connection wakes the watch, which then reads the new messages (one statement). The delay counts the append's own round trip.`,
  };
}

/** The watch delay over PostgreSQL, on its own so it can run without the long fills of the postgres suite. */
const suite: BenchSuite = {
  name: 'postgres-watch',
  needs: ['postgres'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    if (!context.postgresUrl) throw new Error('the postgres-watch suite needs SESSIONS_POSTGRES_URL');
    const schema = `bench_watch_${randomBytes(4).toString('hex')}`;
    try {
      return [await watchDelay(context, schema)];
    } finally {
      const sql = postgres(context.postgresUrl, { max: 1, onnotice: () => undefined });
      await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await sql.end({ timeout: 5 });
    }
  },
};

export default suite;

// Run as a script (`node --import tsx postgres-watch.ts watch-writer ...`): the writer process.
if (process.argv[1] === here && process.argv[2] === 'watch-writer') await writerMain(process.argv.slice(3));
