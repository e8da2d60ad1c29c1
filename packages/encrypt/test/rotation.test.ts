import type { JsonObject, SessionStore } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { encryptStore, JOURNAL_USER_ID } from '../src/index.js';
import { KEY_A, KEY_B, memoryStores, rawMessages } from './fixtures.js';

const BOTH = { keys: { a: KEY_A, b: KEY_B }, currentKeyId: 'b' };

async function keyIds(stores: ReturnType<typeof memoryStores>, userId: string, sessionId: string): Promise<string[]> {
  return (await rawMessages(stores.raw, userId, sessionId)).map((e) => e['kid'] as string);
}

/** The inner store, failing its `failAfter`-th popMessage as a crashed process would stop there. */
function crashingOnPop(inner: SessionStore<JsonObject>, failAfter: number): SessionStore<JsonObject> {
  let pops = 0;
  return intercept(inner, async () => {
    if (++pops > failAfter) throw new Error('process killed');
  });
}

/** The inner store, running `before(calls so far)` before each call of `method`: where another writer's append can land. */
function intercept(inner: SessionStore<JsonObject>, before: (count: number) => Promise<void>, method: 'popMessage' | 'restoreMessages' = 'popMessage'): SessionStore<JsonObject> {
  let count = 0;
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (property !== method) return bound;
      return async (...args: unknown[]) => {
        await before(count++);
        return bound(...args);
      };
    },
  });
}

describe('key rotation', () => {
  it('reads sessions that mix keys, and writes with the current key', async () => {
    const stores = memoryStores();
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    const rotated = stores.reopen(BOTH);
    await rotated.append('u', 's', { i: 3 });
    expect(await keyIds(stores, 'u', 's')).toEqual(['a', 'a', 'b']);
    expect((await rotated.getMessages('u', 's')).map((m) => m.message)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    // A reader without the old key cannot read the old messages: loud, not silent.
    await expect(stores.reopen({ keys: { b: KEY_B }, currentKeyId: 'b' }).getMessages('u', 's')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('reencryptSession rewrites messages and metadata under the current key, keeping seqs, createdAt and lastSeq', async () => {
    const stores = memoryStores({ encryptMetadata: true });
    await stores.store.createSession('u', { sessionId: 's', metadata: { title: 'secret' } });
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    await stores.store.popMessage('u', 's');
    const before = await stores.store.getMessages('u', 's');
    const rotated = stores.reopen(BOTH);
    expect(await rotated.reencryptSession('u', 's')).toEqual({ sessions: 1, messages: 3 });
    expect(await keyIds(stores, 'u', 's')).toEqual(['b', 'b', 'b']);
    const onlyB = stores.reopen({ keys: { b: KEY_B }, currentKeyId: 'b' });
    expect(await onlyB.getMessages('u', 's')).toEqual(before);
    const session = await onlyB.getSession('u', 's');
    expect(session).toMatchObject({ metadata: { title: 'secret' }, lastSeq: 4, messageCount: 3 });
    expect((await onlyB.append('u', 's', { i: 5 })).firstSeq).toBe(5);
    // Nothing left to do: a second run changes nothing and leaves no journal behind.
    expect(await rotated.reencryptSession('u', 's')).toEqual({ sessions: 0, messages: 0 });
    expect(await stores.raw.listSessions(JOURNAL_USER_ID)).toEqual({ items: [], nextCursor: null });
  });

  it('reencryptUser covers every session of the user and no other user', async () => {
    const stores = memoryStores();
    for (const id of ['s1', 's2', 's3']) await stores.store.append('u', id, [{ id }, { id }]);
    await stores.store.append('other', 's1', { id: 'other' });
    expect(await stores.reopen(BOTH).reencryptUser('u')).toEqual({ sessions: 3, messages: 6 });
    for (const id of ['s1', 's2', 's3']) expect(await keyIds(stores, 'u', id)).toEqual(['b', 'b']);
    expect(await keyIds(stores, 'other', 's1')).toEqual(['a']);
  });

  it('loses nothing when interrupted mid-swap: the next run finishes from the journal', async () => {
    const stores = memoryStores();
    for (let i = 1; i <= 30; i++) await stores.store.append('u', 's', { i });
    const expected = await stores.store.getMessages('u', 's');
    const inner = crashingOnPop(stores.raw, 12);
    const crashing = encryptStore(inner, BOTH);
    await expect(crashing.reencryptSession('u', 's')).rejects.toThrow('process killed');
    // Mid-swap the session is short of the popped messages; the journal holds them.
    expect((await stores.raw.getMessages('u', 's')).length).toBeLessThan(30);
    const rotated = stores.reopen(BOTH);
    // A fresh journal may belong to a rewrite still running: not taken over by default.
    await expect(rotated.reencryptSession('u', 's')).rejects.toMatchObject({ code: 'CONFLICT' });
    await rotated.reencryptSession('u', 's', { staleAfterMs: 0 });
    expect(await rotated.getMessages('u', 's')).toEqual(expected);
    expect(new Set(await keyIds(stores, 'u', 's'))).toEqual(new Set(['b']));
  });

  it('an interruption while copying to the journal leaves the session untouched', async () => {
    const stores = memoryStores();
    for (let i = 1; i <= 5; i++) await stores.store.append('u', 's', { i });
    const expected = await stores.store.getMessages('u', 's');
    await expect(encryptStore(crashingOnPop(stores.raw, 0), BOTH).reencryptSession('u', 's')).rejects.toThrow('process killed');
    // Failing on the first pop is the last moment before the session changes.
    expect(await stores.store.getMessages('u', 's')).toEqual(expected);
    await stores.reopen(BOTH).reencryptSession('u', 's', { staleAfterMs: 0 });
    expect(await keyIds(stores, 'u', 's')).toEqual(['b', 'b', 'b', 'b', 'b']);
  });

  it('keeps every append that lands during the rotation, each once, in each writer\'s order', async () => {
    const stores = memoryStores();
    for (let i = 0; i < 200; i++) await stores.store.append('u', 's', { writer: 'seed', i });
    const rotated = stores.reopen(BOTH);
    const writers = ['w1', 'w2', 'w3'].map(async (writer) => {
      // Some writers still run with the old current key, as during a rolling deploy.
      const store = writer === 'w1' ? stores.reopen() : stores.reopen(BOTH);
      for (let i = 0; i < 60; i++) {
        await store.append('u', 's', { writer, i });
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    const [report] = await Promise.all([rotated.reencryptSession('u', 's'), ...writers]);
    expect(report!.messages).toBeGreaterThanOrEqual(200);
    const all = await rotated.getMessages('u', 's');
    expect(all).toHaveLength(200 + 180);
    const seqs = all.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const writer of ['seed', 'w1', 'w2', 'w3']) {
      const order = all.filter((m) => m.message['writer'] === writer).map((m) => m.message['i']);
      expect(order).toEqual([...Array(writer === 'seed' ? 200 : 60).keys()]);
    }
    const info = await rotated.getSession('u', 's', { limit: 0 });
    expect(info).toMatchObject({ messageCount: 380, lastSeq: 380 });
    expect(await stores.raw.listSessions(JOURNAL_USER_ID)).toEqual({ items: [], nextCursor: null });
  });

  it('keeps appends that land between pops and after the last pop (the restore is retried)', async () => {
    const stores = memoryStores();
    for (let i = 0; i < 20; i++) await stores.store.append('u', 's', { writer: 'seed', i });
    const writer = stores.reopen(BOTH);
    let written = 0;
    // Appends land before the 1st, 6th and 13th pop, and before the first two restores: each
    // of those restores then meets a message above the restored seqs and must pop again.
    const appendAt = (counts: number[]) => async (count: number) => {
      if (counts.includes(count)) await writer.append('u', 's', { writer: 'other', i: written++ });
    };
    const inner = intercept(intercept(stores.raw, appendAt([0, 5, 12])), appendAt([0, 1]), 'restoreMessages');
    const report = await encryptStore(inner, BOTH).reencryptSession('u', 's');
    expect(report).toEqual({ sessions: 1, messages: 20 });
    expect(written).toBe(5);
    const all = await writer.getMessages('u', 's');
    expect(all.map((m) => m.seq)).toEqual([...Array(25).keys()].map((i) => i + 1));
    expect(all.filter((m) => m.message['writer'] === 'other').map((m) => m.message['i'])).toEqual([0, 1, 2, 3, 4]);
    expect(all.filter((m) => m.message['writer'] === 'seed').map((m) => m.message['i'])).toEqual([...Array(20).keys()]);
    expect(new Set(await keyIds(stores, 'u', 's'))).toEqual(new Set(['b']));
    expect(await stores.raw.listSessions(JOURNAL_USER_ID)).toEqual({ items: [], nextCursor: null });
  });

  it('leaves undecryptable messages as they are instead of destroying them', async () => {
    const stores = memoryStores();
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    const foreign = { v: 1, kid: 'gone', n: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    await stores.raw.append('u', 's', foreign);
    const rotated = stores.reopen({ ...BOTH, onDecryptError: 'skip' });
    expect(await rotated.reencryptSession('u', 's')).toEqual({ sessions: 1, messages: 2 });
    expect(await keyIds(stores, 'u', 's')).toEqual(['b', 'b', 'gone']);
    expect((await stores.raw.getMessages('u', 's'))[2]!.message).toEqual(foreign);
  });

  it('keeps an undecryptable message that lands during the swap exactly as it is', async () => {
    const stores = memoryStores();
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    const foreign = { v: 1, kid: 'gone', n: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    const inner = intercept(stores.raw, async (count) => {
      if (count === 0) await stores.raw.append('u', 's', foreign);
    });
    await encryptStore(inner, BOTH).reencryptSession('u', 's');
    expect(await keyIds(stores, 'u', 's')).toEqual(['b', 'b', 'gone']);
    expect((await stores.raw.getMessages('u', 's'))[2]).toMatchObject({ seq: 3, message: foreign });
  });

  it('refuses a second rotation of the same session while one is running', async () => {
    const stores = memoryStores();
    for (let i = 0; i < 50; i++) await stores.store.append('u', 's', { i });
    const rotated = stores.reopen(BOTH);
    const results = await Promise.allSettled([rotated.reencryptSession('u', 's'), rotated.reencryptSession('u', 's')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(rejected.reason).toMatchObject({ code: 'CONFLICT' });
    expect((await rotated.getMessages('u', 's')).map((m) => m.message['i'])).toEqual([...Array(50).keys()]);
  });
});
