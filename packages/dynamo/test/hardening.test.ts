import { isSessionStoreError } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '../src/index.js';
import { dynamoEndpoint, freshStore } from './support/dynamo.js';

/** Resolves to the value, or fails the test if the call failed with a retryable (outage) error. */
async function neverAnOutage<T>(promise: Promise<T>): Promise<T | 'refused'> {
  try {
    return await promise;
  } catch (error) {
    if (!isSessionStoreError(error)) throw error;
    expect(error.retryable, `${error.code}: ${error.message}`).toBe(false);
    expect(error.code).toBe('INVALID_ARGUMENT');
    return 'refused';
  }
}

describe.skipIf(!dynamoEndpoint)('DynamoDB: client mistakes are never outages, every allowed id works', () => {
  let env: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    env = await freshStore();
  });
  afterAll(async () => {
    await env.done();
  });

  it('reads with a limit of 2^31 and more (once UNAVAILABLE): bounded pages, the right messages', async () => {
    await env.store.append('big', 's', Array.from({ length: 30 }, (_, i) => ({ n: i })));
    for (const limit of [2 ** 31, 2 ** 31 + 1, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      const read = await neverAnOutage(env.store.getMessages('big', 's', { limit }));
      if (read !== 'refused') expect(read.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const fromStart = await neverAnOutage(env.store.getMessages('big', 's', { limit, from: 'start', afterSeq: 25 }));
      if (fromStart !== 'refused') expect(fromStart.map((m) => m.seq)).toEqual([26, 27, 28, 29, 30]);
      const session = await neverAnOutage(env.store.getSession('big', 's', { limit }));
      if (session !== 'refused') expect(session?.messages).toHaveLength(30);
      await neverAnOutage(env.store.listSessions('big', { limit }));
    }
  });

  it('a store whose readPageSize is 2^31 still reads: the driver never asks DynamoDB for more than one page', async () => {
    const store = new DynamoSessionStore({ client: env.client, tableName: env.tableName, readPageSize: 2 ** 31 });
    expect((await store.getMessages('big', 's')).map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const seen: number[] = [];
    for await (const m of store.readHistory('big', 's')) seen.push(m.seq);
    expect(seen).toHaveLength(30);
    expect((await store.getSession('big', 's'))?.messages).toHaveLength(30);
    await store.close();
  });

  it('works with ids and keys of 512 CJK characters (1,536 bytes: hashed in keys) through every operation', async () => {
    const user = '用'.repeat(512);
    const session = '会'.repeat(512);
    const fork = '話'.repeat(512);
    const key = '鍵'.repeat(512);
    const store = env.store;
    await store.createSession(user, { sessionId: session, metadata: { topic: '長' } });
    expect(await store.append(user, session, [{ n: 1 }, { n: 2 }, { n: 3 }], { idempotencyKey: key })).toEqual({ firstSeq: 1, lastSeq: 3, duplicate: false });
    expect(await store.append(user, session, [{ n: 9 }], { idempotencyKey: key })).toEqual({ firstSeq: 1, lastSeq: 3, duplicate: true });
    expect(await store.replaceTail(user, session, { afterSeq: 2, messages: [{ n: 4 }] }, { idempotencyKey: '鍵'.repeat(511) + '二' })).toEqual({ removed: 1, firstSeq: 4, lastSeq: 4, duplicate: false });
    expect(await store.rewriteMessages(user, session, [{ seq: 1, message: { n: 10 } }])).toEqual({ rewritten: 1, missing: [] });
    expect(await store.trimSession(user, session, { beforeSeq: 2 })).toBe(1);
    expect((await store.getMessages(user, session)).map((m) => m.message)).toEqual([{ n: 2 }, { n: 4 }]);
    expect((await store.updateSession(user, session, { metadata: { more: true } })).metadata).toEqual({ topic: '長', more: true });
    const forked = await store.forkSession(user, session, { newSessionId: fork });
    expect(forked).toMatchObject({ userId: user, id: fork, messageCount: 2 });
    expect((await store.listSessions(user)).items.map((s) => s.id).sort()).toEqual([session, fork].sort());
    expect(await store.popMessage(user, fork)).toMatchObject({ seq: 4 });
    await store.clearSession(user, fork);
    expect(await store.deleteSession(user, session)).toBe(true);
    expect(await store.deleteUser(user)).toBe(1);
    expect(await store.getSession(user, session)).toBeNull();
  });
});
