// What the store layer of @sessions/core costs per append of a 1 KB message, without a server:
// the store over a driver that answers at once, against JSON.stringify alone (which a raw RPUSH
// also pays), and the pieces of the input checks. Medians of 3 rounds of 200,000 calls, µs.
//
//   npx tsx --conditions=@sessions/source tools/bench/scripts/append-core-cost.ts
import { DriverSessionStore, InputGuard, MemoryDriver, jsonProblem, utf8Length, isPlainObject } from '@sessions/core';
import { kilobyteMessage } from '../src/measure.js';
const driver = new MemoryDriver();
// The memory driver with an append that answers at once, so only the store layer is timed.
const stub = Object.create(driver) as MemoryDriver;
const reply = { firstSeq: 1, lastSeq: 1, duplicate: false };
stub.append = () => Promise.resolve(reply);
const store = new DriverSessionStore(stub);
const guard = new InputGuard({ backend: 'x' });
const msgs = Array.from({ length: 1000 }, (_, i) => kilobyteMessage(i));
const N = 200000;
const texts = msgs.map((m) => JSON.stringify(m));
// A walk that builds no path strings on success (the path is rebuilt only to report a problem).
function lazyWalk(value: unknown, depth: number, ancestors: unknown[]): boolean {
  switch (typeof value) {
    case 'string': case 'boolean': return true;
    case 'number': return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= 64 || ancestors.includes(value)) return false;
      ancestors.push(value);
      if (Array.isArray(value)) { for (const item of value) if (item === undefined || !lazyWalk(item, depth + 1, ancestors)) return false; }
      else {
        if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
        for (const key in value) { const item = (value as Record<string, unknown>)[key]; if (item !== undefined && !lazyWalk(item, depth + 1, ancestors)) return false; }
      }
      ancestors.pop();
      return true;
    }
    default: return false;
  }
}
function time(f: (i: number) => unknown): number {
  for (let i = 0; i < 50000; i++) f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f(i);
  return Number(process.hrtime.bigint() - t) / 1e3 / N;
}
async function timeAsync(f: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50000; i++) await f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await f(i);
  return Number(process.hrtime.bigint() - t) / 1e3 / N;
}
const rows = new Map<string, number[]>();
const add = (k: string, v: number) => rows.set(k, [...(rows.get(k) ?? []), v]);
for (let r = 0; r < 3; r++) {
  add('JSON.stringify', time((i) => JSON.stringify(msgs[i % 1000])));
  add('jsonProblem (core)', time((i) => jsonProblem(msgs[i % 1000])));
  add('walk without path strings', time((i) => lazyWalk(msgs[i % 1000], 0, [])));
  add('utf8Length of the 1 KB text', time((i) => utf8Length(texts[i % 1000]!)));
  add('two nested async layers (as guard.append -> messages)', await timeAsync(async (i) => (async () => texts[i % 1000])()));
  add('await of a plain value', await timeAsync(async (i) => texts[i % 1000]));
  add('guard.userId + guard.sessionId', time(() => (guard.userId('bench-user'), guard.sessionId('len-10'))));
  add('await JSON.stringify', await timeAsync(async (i) => JSON.stringify(msgs[i % 1000])));
  add('await guard.append', await timeAsync((i) => guard.append('bench-user', 'len-10', msgs[i % 1000]!)));
  add('await store.append over a driver that answers at once', await timeAsync((i) => store.append('bench-user', 'len-10', msgs[i % 1000]!)));
}
process.stdout.write('| what | median | rounds |\n|---|---:|---|\n');
for (const [k, v] of rows) process.stdout.write(`| ${k} | ${[...v].sort((a, b) => a - b)[1]!.toFixed(2)} | ${v.map((x) => x.toFixed(2)).join(', ')} |\n`);
