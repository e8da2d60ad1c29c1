import { PostgresSessionStore } from '@sessions/postgres';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

// Many stores, each with its own connection pool, as many app processes would have.
describe.skipIf(!postgresUrl)('PostgresSessionStore under concurrent writers', () => {
  const schema = freshSchema('concurrency');
  let admin: Sql;
  const clients: Sql[] = [];
  const stores = (n: number) =>
    Array.from({ length: n }, () => {
      const client = newClient({ max: 2 });
      clients.push(client);
      return new PostgresSessionStore({ client, schema });
    });
  /** The session's counters against what its rows really hold. */
  const counts = async (userId: string, sessionId: string) => {
    const [row] = await admin.unsafe(
      `SELECT s.message_count AS counted, s.last_seq::int AS last_seq,
         (SELECT count(*)::int FROM "${schema}".session_messages m WHERE m.user_id = s.user_id AND m.session_id = s.id) AS held
       FROM "${schema}".sessions s WHERE s.user_id = $1 AND s.id = $2`,
      [userId, sessionId],
    );
    return row as unknown as { counted: number; last_seq: number; held: number };
  };

  beforeAll(async () => {
    admin = newClient();
    await new PostgresSessionStore({ client: admin, schema }).setup();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    await dropSchema(admin, schema);
    await admin.end({ timeout: 5 });
  });

  it('16 appenders on one session: contiguous seqs, nothing lost, each writer in its own order', async () => {
    const writers = stores(16);
    await Promise.all(
      writers.map(async (store, w) => {
        for (let i = 0; i < 15; i++) {
          const batch = Array.from({ length: (i % 3) + 1 }, (_, j) => ({ w, i, j }));
          const result = await store.append('race', 'one', batch);
          expect(result.lastSeq - result.firstSeq + 1).toBe(batch.length);
        }
      }),
    );
    const all = await writers[0]!.getMessages('race', 'one');
    expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all).toHaveLength(16 * (5 * (1 + 2 + 3)));
    for (let w = 0; w < 16; w++) {
      const mine = all.map((m) => m.message as { w: number; i: number; j: number }).filter((m) => m.w === w);
      expect(mine).toEqual([...mine].sort((a, b) => a.i - b.i || a.j - b.j));
    }
    expect(await counts('race', 'one')).toEqual({ counted: all.length, last_seq: all.length, held: all.length });
  });

  it('concurrent pops never return the same message and keep the count exact', async () => {
    const [writer, ...poppers] = stores(9);
    await writer!.append('pop', 'one', Array.from({ length: 60 }, (_, n) => ({ n })));
    const popped = (
      await Promise.all(
        poppers.map(async (store) => {
          const got: number[] = [];
          for (let i = 0; i < 10; i++) {
            const message = await store.popMessage('pop', 'one');
            if (message) got.push(message.seq);
          }
          return got;
        }),
      )
    ).flat();
    expect(new Set(popped).size).toBe(popped.length);
    expect(popped.sort((a, b) => b - a)).toEqual(Array.from({ length: 60 }, (_, i) => 60 - i));
    expect(await counts('pop', 'one')).toEqual({ counted: 0, last_seq: 60, held: 0 });
  });

  it('pops, clears and appends interleaved keep message_count equal to the rows held', async () => {
    const workers = stores(6);
    await Promise.all(
      workers.map(async (store, w) => {
        for (let i = 0; i < 20; i++) {
          if (w % 3 === 0) await store.append('mixed', 'one', [{ w, i }, { w, i }]);
          else if (w % 3 === 1) await store.popMessage('mixed', 'one');
          else if (i % 5 === 0) await store.clearSession('mixed', 'one');
          else await store.append('mixed', 'one', { w, i });
        }
      }),
    );
    const state = await counts('mixed', 'one');
    expect(state.counted).toBe(state.held);
    expect((await workers[0]!.getSession('mixed', 'one'))?.messageCount).toBe(state.held);
  });

  it('one idempotency key raced by 8 writers is applied once', async () => {
    const writers = stores(8);
    const results = await Promise.all(writers.map((store, w) => store.append('idem', 'one', [{ w }, { w }], { idempotencyKey: 'same' })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => `${r.firstSeq}-${r.lastSeq}`))).toEqual(new Set(['1-2']));
    expect(await counts('idem', 'one')).toEqual({ counted: 2, last_seq: 2, held: 2 });
  });

  it('compare-and-append raced by 8 writers: exactly one wins each round', async () => {
    const writers = stores(8);
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.allSettled(writers.map((store, w) => store.append('cas', 'one', { w, round }, { expectedLastSeq: round })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'CONFLICT' });
    }
  });

  it('getOrCreateSession raced by 8 callers creates once', async () => {
    const callers = stores(8);
    const results = await Promise.all(callers.map((store) => store.getOrCreateSession('goc', 'one', { metadata: { m: 1 } })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});
