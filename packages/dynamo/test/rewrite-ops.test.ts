import { isSessionStoreError, type SessionStoreError } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSessionStore, MAX_REWRITE_BATCH, MAX_TAIL_REWRITE } from '../src/index.js';
import { dynamoInspector } from '../src/testing/index.js';
import { dynamoEndpoint, freshStore } from './support/dynamo.js';

async function rejection(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
  if (!isSessionStoreError(error)) throw new Error(`not a SessionStoreError: ${String(error)}`);
  return error;
}

const msg = (i: number) => ({ role: 'user', n: i });
const many = (from: number, count: number) => Array.from({ length: count }, (_, i) => msg(from + i));

/** Raw message items of a session (the session item and idempotency items left out). */
async function messageItems(env: Awaited<ReturnType<typeof freshStore>>, user: string, session: string): Promise<number[]> {
  const records = await dynamoInspector(env.client, env.tableName).sessionRecords(user, session);
  return records
    .map((r) => JSON.parse(r) as { type?: { S?: string }; seq?: { N?: string } })
    .filter((r) => r.type?.S === 'message')
    .map((r) => Number(r.seq?.N))
    .sort((a, b) => a - b);
}

/** Fills a session with `count` messages, 98 per append. */
async function fill(store: DynamoSessionStore, user: string, session: string, count: number): Promise<void> {
  for (let done = 0; done < count; done += 98) await store.append(user, session, many(done + 1, Math.min(98, count - done)));
}

describe.skipIf(!dynamoEndpoint)('DynamoDB rewrite operations: the one-transaction schemes and their limits', () => {
  let env: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    env = await freshStore();
  });
  afterAll(async () => {
    await env.done();
  });
  let n = 0;
  const ids = () => ({ user: `ru${++n}`, session: `rs${n}` });

  it('replaces a whole history of any length in one step (compaction), and leaves no item of it behind', async () => {
    const { user, session } = ids();
    await fill(env.store, user, session, 300);
    const result = await env.store.replaceTail(user, session, { afterSeq: 0, messages: [{ summary: true }] }, { expectedLastSeq: 300 });
    expect(result).toEqual({ removed: 300, firstSeq: 301, lastSeq: 301, duplicate: false });
    expect((await env.store.getMessages(user, session)).map((m) => [m.seq, m.message])).toEqual([[301, { summary: true }]]);
    expect((await env.store.getSession(user, session, { limit: 0 }))?.messageCount).toBe(1);
    expect(await messageItems(env, user, session)).toEqual([301]);
  });

  it(`replaces a tail keeping part of the history up to ${MAX_TAIL_REWRITE} messages removed and added together; above, TOO_LARGE and nothing written`, async () => {
    const { user, session } = ids();
    await fill(env.store, user, session, 200);
    // 150 messages to remove while seqs 1..50 stay: more than one transaction holds.
    const error = await rejection(env.store.replaceTail(user, session, { afterSeq: 50, messages: [msg(0)] }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(String(MAX_TAIL_REWRITE));
    expect((await env.store.getSession(user, session, { limit: 0 }))).toMatchObject({ lastSeq: 200, messageCount: 200 });
    // Exactly at the cap: 90 removed + 8 added.
    const ok = await env.store.replaceTail(user, session, { afterSeq: 110, messages: many(1000, 8) });
    expect(ok).toEqual({ removed: 90, firstSeq: 201, lastSeq: 208, duplicate: false });
    const seqs = (await env.store.getMessages(user, session)).map((m) => m.seq);
    expect(seqs).toEqual([...Array.from({ length: 110 }, (_, i) => i + 1), ...Array.from({ length: 8 }, (_, i) => 201 + i)]);
    expect(await messageItems(env, user, session)).toEqual(seqs);
    expect((await env.store.getSession(user, session, { limit: 0 }))?.messageCount).toBe(118);
  });

  it('trims a prefix of any length in one step and deletes its items', async () => {
    const { user, session } = ids();
    await fill(env.store, user, session, 250);
    expect(await env.store.trimSession(user, session, { beforeSeq: 241 })).toBe(240);
    expect((await env.store.getMessages(user, session)).map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 241 + i));
    expect((await env.store.getSession(user, session, { limit: 0 }))?.messageCount).toBe(10);
    expect(await messageItems(env, user, session)).toEqual(Array.from({ length: 10 }, (_, i) => 241 + i));
    // A trim past the end removes what is left and never hides the seqs appended after it.
    expect(await env.store.trimSession(user, session, { beforeSeq: 10_000 })).toBe(10);
    expect(await env.store.append(user, session, [msg(1)])).toEqual({ firstSeq: 251, lastSeq: 251, duplicate: false });
    expect((await env.store.getMessages(user, session)).map((m) => m.seq)).toEqual([251]);
  });

  it(`rewrites up to ${MAX_REWRITE_BATCH} messages in one step, keeping seq and createdAt; more is INVALID_ARGUMENT and nothing written`, async () => {
    const { user, session } = ids();
    await fill(env.store, user, session, 120);
    const before = await env.store.getMessages(user, session);
    const tooMany = before.slice(0, MAX_REWRITE_BATCH + 1).map((m) => ({ seq: m.seq, message: { redacted: true } }));
    const error = await rejection(env.store.rewriteMessages(user, session, tooMany));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.retryable).toBe(false);
    expect(await env.store.getMessages(user, session)).toEqual(before);
    await env.store.popMessage(user, session); // seq 120 goes
    const rewrites = [...before.slice(20, 20 + MAX_REWRITE_BATCH - 1), before[119]!].map((m) => ({ seq: m.seq, message: { redacted: m.seq } }));
    expect(await env.store.rewriteMessages(user, session, rewrites)).toEqual({ rewritten: MAX_REWRITE_BATCH - 1, missing: [120] });
    const after = await env.store.getMessages(user, session);
    expect(after).toHaveLength(119);
    for (const [i, m] of after.entries()) {
      expect(m.seq).toBe(before[i]!.seq);
      expect(m.createdAt).toEqual(before[i]!.createdAt);
      expect(m.message).toEqual(i >= 20 && i < 20 + MAX_REWRITE_BATCH - 1 ? { redacted: m.seq } : before[i]!.message);
    }
    expect(await messageItems(env, user, session)).toEqual(after.map((m) => m.seq));
  });

  it('never rewrites or resurrects a message a trim or a compaction hid before its items were deleted', async () => {
    const { user, session } = ids();
    await fill(env.store, user, session, 5);
    await env.store.trimSession(user, session, { beforeSeq: 3 });
    expect(await env.store.rewriteMessages(user, session, [1, 2, 3].map((seq) => ({ seq, message: { x: seq } })))).toEqual({ rewritten: 1, missing: [1, 2] });
    await env.store.replaceTail(user, session, { afterSeq: 0, messages: [] });
    expect(await env.store.rewriteMessages(user, session, [{ seq: 4, message: { x: 4 } }])).toEqual({ rewritten: 0, missing: [4] });
    expect(await env.store.getMessages(user, session)).toEqual([]);
    expect(await messageItems(env, user, session)).toEqual([]);
  });

  it('keeps replaceTail atomic against concurrent appenders on separate clients: nothing lost, nothing doubled, seqs never reused', async () => {
    const { user, session } = ids();
    await fill(env.store, user, session, 10);
    const writers = Array.from({ length: 3 }, () => new DynamoSessionStore({ client: env.client, tableName: env.tableName }));
    const appended: number[] = [];
    const appends = writers.map(async (w, i) => {
      for (let k = 0; k < 5; k++) {
        const r = await w.append(user, session, [msg(100 * (i + 1) + k)]);
        appended.push(r.firstSeq);
      }
    });
    const replacements = (async () => {
      const results = [];
      for (let k = 0; k < 3; k++) {
        const lastSeq = (await env.store.getSession(user, session, { limit: 0 }))!.lastSeq;
        results.push(await env.store.replaceTail(user, session, { afterSeq: lastSeq - 2, messages: [{ replaced: k }] }));
      }
      return results;
    })();
    await Promise.all(appends);
    const results = await replacements;
    const stored = await env.store.getMessages(user, session);
    const seqs = stored.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const lastSeq = (await env.store.getSession(user, session, { limit: 0 }))!.lastSeq;
    // Every seq ever handed out is unique: 10 filled, 15 appended, 3 replacements.
    expect(lastSeq).toBe(10 + 15 + 3);
    const removed = results.reduce((sum, r) => sum + r.removed, 0);
    expect(stored).toHaveLength(10 + 15 + 3 - removed);
    expect((await env.store.getSession(user, session, { limit: 0 }))?.messageCount).toBe(stored.length);
    expect(await messageItems(env, user, session)).toEqual(seqs);
    await Promise.all(writers.map((w) => w.close()));
  });
});
