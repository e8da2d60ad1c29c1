import { InMemorySessionStore, isSessionStoreError, type JsonObject, type SessionStore } from '@sessions/core';
import { SqliteSessionStore } from '@sessions/sqlite';
import { sqliteInspector } from '@sessions/sqlite/testing';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

/**
 * The rewrite operations (replaceTail, trimSession, rewriteMessages) mixed with every other
 * write, run on the SQLite store and on the in-memory reference store with the same clock and
 * the same random calls: every result (or error code) and the final state must be the same,
 * and the raw rows must hold exactly the messages the session reports (nothing left behind).
 */

/** A small seeded generator, so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SESSIONS = ['a', 'b', 'c'];
const USER = 'u';

type Call = (store: SessionStore) => Promise<unknown>;

function randomCall(next: () => number, counter: { n: number }): { name: string; run: Call } {
  const int = (max: number) => Math.floor(next() * (max + 1));
  const pick = <T>(items: T[]): T => items[int(items.length - 1)]!;
  const maybe = <T>(value: T): T | undefined => (next() < 0.5 ? value : undefined);
  const session = pick(SESSIONS);
  const messages = (n: number) => Array.from({ length: n }, () => ({ role: 'user', text: `m${++counter.n}` }));
  const key = maybe(pick(['k1', 'k2', 'k3']));
  const expectedLastSeq = maybe(int(8));
  const create = next() < 0.9;
  switch (int(11)) {
    case 0:
    case 1: {
      const batch = messages(1 + int(2));
      return { name: `append ${session}`, run: (s) => s.append(USER, session, batch, { idempotencyKey: key, expectedLastSeq, create }) };
    }
    case 2:
    case 3: {
      const input = { afterSeq: int(8), messages: messages(int(3)) };
      return { name: `replaceTail ${session} ${JSON.stringify(input.afterSeq)}`, run: (s) => s.replaceTail(USER, session, input, { idempotencyKey: key, expectedLastSeq, create }) };
    }
    case 4: {
      const beforeSeq = int(9);
      return { name: `trim ${session} ${beforeSeq}`, run: (s) => s.trimSession(USER, session, { beforeSeq }) };
    }
    case 5: {
      const seqs = [...new Set(Array.from({ length: 1 + int(3) }, () => 1 + int(8)))];
      const rewrites = seqs.map((seq) => ({ seq, message: { role: 'assistant', text: `r${++counter.n}` } }));
      return { name: `rewrite ${session} ${seqs.join(',')}`, run: (s) => s.rewriteMessages(USER, session, rewrites, { expectedLastSeq }) };
    }
    case 6:
      return { name: `pop ${session}`, run: (s) => s.popMessage(USER, session) };
    case 7:
      return { name: `clear ${session}`, run: (s) => s.clearSession(USER, session) };
    case 8: {
      const target = pick(SESSIONS);
      const uptoSeq = maybe(int(8));
      return { name: `fork ${session}->${target}`, run: (s) => s.forkSession(USER, session, { newSessionId: target, uptoSeq }) };
    }
    case 9: {
      const ttlMs = pick([null, 50, 500, undefined]);
      return { name: `update ${session} ttl ${String(ttlMs)}`, run: (s) => s.updateSession(USER, session, { ttlMs, metadata: { n: counter.n } }) };
    }
    case 10:
      return { name: `delete ${session}`, run: (s) => s.deleteSession(USER, session) };
    default: {
      const options = { afterSeq: maybe(int(6)), beforeSeq: maybe(int(9)), limit: maybe(int(4)), from: maybe(pick(['start', 'end'] as const)) };
      return { name: `getMessages ${session} ${JSON.stringify(options)}`, run: (s) => s.getMessages(USER, session, options) };
    }
  }
}

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await run() };
  } catch (error) {
    if (isSessionStoreError(error)) return { error: error.code };
    throw error;
  }
}

async function state(store: SessionStore, now: number): Promise<unknown> {
  const sessions = await Promise.all(SESSIONS.map((id) => store.getSession(USER, id)));
  return { now, sessions, list: await store.listSessions(USER) };
}

describe('rewrite operations: SQLite against the in-memory reference', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random run %i: same results, same state, no rows left behind', async (seed) => {
    let now = 1_700_000_000_000;
    const clock = () => now;
    const db = new Database(':memory:');
    const sqlite: SessionStore<JsonObject> = new SqliteSessionStore({ database: db, clock, ttlMs: 1000 });
    await sqlite.setup();
    const memory: SessionStore<JsonObject> = new InMemorySessionStore({ clock, ttlMs: 1000 });
    const inspector = sqliteInspector(db);
    const next = random(seed);
    const counter = { n: 0 };
    const log: string[] = [];
    for (let step = 0; step < 250; step++) {
      now += Math.floor(next() * 120);
      const call = randomCall(next, counter);
      log.push(call.name);
      const [got, want] = [await outcome(() => call.run(sqlite)), await outcome(() => call.run(memory))];
      expect(got, `seed ${seed} step ${step}: ${log.slice(-5).join(' | ')}`).toEqual(want);
    }
    expect(await state(sqlite, now)).toEqual(await state(memory, now));
    for (const id of SESSIONS) {
      const session = await sqlite.getSession(USER, id);
      const rows = (await inspector.sessionRecords(USER, id)).map((r) => JSON.parse(r) as { table: string; seq?: number });
      const messageRows = rows.filter((r) => r.table === 'session_messages').map((r) => r.seq);
      if (session) expect(messageRows, `rows of ${id}`).toEqual(session.messages.map((m) => m.seq));
    }
    await sqlite.close();
    await memory.close();
    db.close();
  });
});
