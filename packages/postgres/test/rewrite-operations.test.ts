import { InMemorySessionStore, type JsonObject, type SessionStore } from '@sessions/core';
import { PostgresSessionStore } from '@sessions/postgres';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

/** Every result and every error code of a call, so two stores can be compared call by call. */
const outcome = async (run: () => Promise<unknown>) => {
  try {
    return { ok: await run() };
  } catch (error) {
    return { error: (error as { code?: string }).code };
  }
};

/** What a session holds, minus the times (the two stores' clocks differ). */
const state = async (store: SessionStore<JsonObject>, sessionId: string) => {
  const session = await store.getSession('u', sessionId);
  return session && { lastSeq: session.lastSeq, messageCount: session.messageCount, messages: session.messages.map((m) => [m.seq, m.message]) };
};

// The memory driver is the reference of the rewrite operations' semantics: the same calls on
// both stores must give the same results, errors and histories.
describe.skipIf(!postgresUrl)('replaceTail, trimSession and rewriteMessages against the reference driver', () => {
  const schema = freshSchema('rewrite');
  let sql: Sql;
  let pg: PostgresSessionStore;
  // One clock for both stores, moved once per compared call: a call on one store and the same
  // call on the other see the same time, so results that carry times (a popped message) agree.
  let now = Date.now();
  const clock = () => now;
  const memory = new InMemorySessionStore({ clock });
  beforeAll(async () => {
    sql = newClient();
    pg = new PostgresSessionStore({ client: sql, schema, clock });
    await pg.setup();
  });
  afterAll(async () => {
    await dropSchema(sql, schema);
    await sql.end({ timeout: 5 });
  });

  const both = async (sessionId: string, call: (store: SessionStore<JsonObject>) => Promise<unknown>) => {
    now += 1;
    const expected = await outcome(() => call(memory));
    const actual = await outcome(() => call(pg));
    expect(actual, JSON.stringify(expected)).toEqual(expected);
    expect(await state(pg, sessionId)).toEqual(await state(memory, sessionId));
  };

  it('agrees on every case of replaceTail', async () => {
    const s = 'tail';
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 0, messages: [] })); // nothing created
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 0, messages: [{ n: 1 }] })); // NOT_FOUND without create
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 0, messages: [{ n: 1 }] }, { expectedLastSeq: 3 })); // CONFLICT on a missing session
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 0, messages: [{ n: 1 }, { n: 2 }] }, { create: true, idempotencyKey: 'k1' }));
    await both(s, (st) => st.append('u', s, [{ n: 3 }, { n: 4 }, { n: 5 }]));
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 2, messages: [{ r: 1 }] }, { idempotencyKey: 'k2', expectedLastSeq: 5 }));
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 2, messages: [{ r: 'retry' }] }, { idempotencyKey: 'k2' })); // duplicate: first result
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 0, messages: [] }, { idempotencyKey: 'k1' })); // a key of the first call
    await both(s, (st) => st.append('u', s, { n: 'x' }, { idempotencyKey: 'k2' })); // one key space with append
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 1, messages: [] }, { expectedLastSeq: 1 })); // CONFLICT
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 1, messages: [] })); // truncation: empty range after lastSeq
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 100, messages: [{ after: 'all' }] }));
    await both(s, (st) => st.replaceTail('u', s, { afterSeq: 0, messages: [{ compacted: true }] })); // compaction: seqs never reused
  });

  it('agrees on every case of trimSession and rewriteMessages', async () => {
    const s = 'trim';
    await both(s, (st) => st.trimSession('u', s, { beforeSeq: 3 })); // 0 for a missing session
    await both(s, (st) => st.rewriteMessages('u', s, [{ seq: 1, message: { x: 1 } }])); // NOT_FOUND
    await both(s, (st) => st.append('u', s, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]));
    await both(s, (st) => st.trimSession('u', s, { beforeSeq: 3 }));
    await both(s, (st) => st.trimSession('u', s, { beforeSeq: 3 }));
    await both(s, (st) => st.trimSession('u', s, { beforeSeq: 0 }));
    await both(s, (st) => st.rewriteMessages('u', s, [{ seq: 5, message: { n: 'five' } }, { seq: 1, message: { gone: true } }, { seq: 3, message: { n: 'three' } }]));
    await both(s, (st) => st.rewriteMessages('u', s, [{ seq: 4, message: { n: 'four' } }], { expectedLastSeq: 4 })); // CONFLICT
    await both(s, (st) => st.rewriteMessages('u', s, [{ seq: 4, message: { n: 'four' } }], { expectedLastSeq: 5 }));
    await both(s, (st) => st.popMessage('u', s));
    await both(s, (st) => st.rewriteMessages('u', s, [{ seq: 5, message: { back: 'never' } }])); // popped: missing, not resurrected
    await both(s, (st) => st.trimSession('u', s, { beforeSeq: 100 }));
  });

  it('keeps createdAt on a rewrite, and touches the session on every rewrite operation', async () => {
    let now = Date.UTC(2031, 0, 1);
    const store = new PostgresSessionStore({ client: sql, schema, clock: () => now, ttlMs: 10_000 });
    await store.append('u', 'touch', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const created = (await store.getMessages('u', 'touch')).map((m) => m.createdAt.getTime());
    for (const [i, write] of [
      () => store.rewriteMessages('u', 'touch', [{ seq: 2, message: { n: 'two' } }]),
      () => store.trimSession('u', 'touch', { beforeSeq: 2 }),
      () => store.replaceTail('u', 'touch', { afterSeq: 3, messages: [{ n: 4 }] }),
    ].entries()) {
      now += 1000;
      await write();
      const session = await store.getSession('u', 'touch');
      expect(session?.updatedAt.getTime(), `write ${i}`).toBe(now);
      expect(session?.expiresAt?.getTime(), `write ${i}`).toBe(now + 10_000);
    }
    const after = await store.getMessages('u', 'touch');
    expect(after.map((m) => m.seq)).toEqual([2, 3, 4]);
    expect(after.slice(0, 2).map((m) => m.createdAt.getTime())).toEqual(created.slice(1, 3));
    expect(after[0]?.message).toEqual({ n: 'two' });
  });

  it('replaceTail raced by appenders from other pools: atomic, no seq reused, message_count exact', async () => {
    const clients = Array.from({ length: 6 }, () => newClient({ max: 2 }));
    try {
      const stores = clients.map((client) => new PostgresSessionStore({ client, schema }));
      await stores[0]!.append('race', 'tail', [{ w: -1 }]);
      const results = await Promise.all(
        stores.map(async (store, w) => {
          const seen: number[] = [];
          for (let i = 0; i < 10; i++) {
            if (w % 2 === 0) {
              const r = await store.append('race', 'tail', [{ w, i }, { w, i }]);
              seen.push(r.firstSeq, r.lastSeq);
            } else {
              const r = await store.replaceTail('race', 'tail', { afterSeq: 1, messages: [{ w, i, replaced: true }] });
              seen.push(r.firstSeq);
            }
          }
          return seen;
        }),
      );
      const firstSeqs = results.flatMap((seqs, w) => (w % 2 === 1 ? seqs : seqs.filter((_, i) => i % 2 === 0)));
      expect(new Set(firstSeqs).size, 'no write got a seq another got').toBe(firstSeqs.length);
      const session = await stores[0]!.getSession('race', 'tail');
      const [row] = await sql.unsafe(`SELECT count(*)::int AS held FROM "${schema}".session_messages WHERE user_id = 'race' AND session_id = 'tail'`);
      expect(session?.messageCount).toBe(row?.['held']);
      expect(session?.lastSeq).toBe(1 + 3 * 10 * 2 + 3 * 10);
      const seqs = session!.messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs[0]).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    }
  });
});
