/**
 * One writer process of the cross-process test: appends `count` messages `{ writer, i }` to one
 * session of the database file, one append per message, in order. Every other append carries an
 * idempotency key, and every tenth keyed append is sent twice (a retry), which must come back as
 * a duplicate with the first result. Waits for "go" on stdin so all writers start together;
 * prints one JSON line of what it saw; exits non-zero on any error.
 *
 * node --conditions=@sessions/source --import tsx append-writer.ts <file> <writer> <count>
 */
import { createInterface } from 'node:readline';
import { SqliteSessionStore } from '@sessions/sqlite';

const [file, writerArg, countArg] = process.argv.slice(2);
const writer = Number(writerArg);
const count = Number(countArg);
const store = new SqliteSessionStore({ path: file! });

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

const started = performance.now();
let retries = 0;
let badRetries = 0;
for (let i = 0; i < count; i++) {
  const keyed = i % 2 === 1;
  const options = keyed ? { idempotencyKey: `w${writer}-m${i}` } : {};
  const first = await store.append('user', 'shared', { writer, i }, options);
  if (first.duplicate || first.lastSeq !== first.firstSeq) throw new Error(`append ${i} gave ${JSON.stringify(first)}`);
  if (keyed && i % 20 === 1) {
    retries++;
    const again = await store.append('user', 'shared', { writer, i }, options);
    if (!again.duplicate || again.firstSeq !== first.firstSeq || again.lastSeq !== first.lastSeq) badRetries++;
  }
}
await store.close();
process.stdout.write(`${JSON.stringify({ writer, appended: count, retries, badRetries, ms: Math.round(performance.now() - started) })}\n`);
