import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, isSessionStoreError, storeSession, type SessionStore } from '../src/index.js';
import { expectCode } from './helpers.js';

const seqs = (messages: { seq: number }[]) => messages.map((m) => m.seq);

describe('store.session(userId, sessionId)', () => {
  it('binds the two ids once; every call is the store call on that session', async () => {
    const store = new InMemorySessionStore();
    const chat = store.session('alice', 'chat');
    expect({ userId: chat.userId, sessionId: chat.sessionId }).toEqual({ userId: 'alice', sessionId: 'chat' });
    expect(await chat.info()).toBeNull();
    expect(await chat.getOrCreate({ metadata: { title: 't' } })).toMatchObject({ created: true, id: 'chat', userId: 'alice' });
    expect(await chat.append([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }])).toEqual({ firstSeq: 1, lastSeq: 4, duplicate: false });
    expect(await chat.messages({ limit: 2 })).toEqual(await store.getMessages('alice', 'chat', { limit: 2 }));
    const history: number[] = [];
    for await (const m of chat.history({ afterSeq: 1, pageSize: 2 })) history.push(m.seq);
    expect(history).toEqual([2, 3, 4]);
    expect(seqs((await chat.get({ limit: 1 }))?.messages ?? [])).toEqual([4]);
    expect(await chat.pop()).toMatchObject({ seq: 4 });
    expect(await chat.replaceTail({ afterSeq: 2, messages: [{ n: 5 }] })).toEqual({ removed: 1, firstSeq: 5, lastSeq: 5, duplicate: false });
    expect(await chat.trim({ beforeSeq: 2 })).toBe(1);
    expect(await chat.rewrite([{ seq: 2, message: { n: 20 } }, { seq: 1, message: { n: 10 } }])).toEqual({ rewritten: 1, missing: [1] });
    expect((await store.getMessages('alice', 'chat')).map((m) => [m.seq, m.message])).toEqual([
      [2, { n: 20 }],
      [5, { n: 5 }],
    ]);
    expect(await chat.update({ metadata: { tag: 'x' } })).toMatchObject({ metadata: { title: 't', tag: 'x' } });
    expect(await chat.fork({ newSessionId: 'copy' })).toMatchObject({ id: 'copy', userId: 'alice', lastSeq: 5, messageCount: 2 });
    await chat.clear();
    const info = await chat.info();
    expect(info).toMatchObject({ messageCount: 0, lastSeq: 5 });
    expect(info).not.toHaveProperty('messages');
    expect(await chat.delete()).toBe(true);
    expect(await store.getSession('alice', 'chat')).toBeNull();
    expect(await store.getSession('alice', 'copy', { limit: 0 })).toMatchObject({ messageCount: 2 });
    expect(await store.getSession('chat', 'alice')).toBeNull();
  });

  it('checks and trims the ids when the handle is made', () => {
    const store = new InMemorySessionStore();
    expect(store.session(' u ', ' s ')).toMatchObject({ userId: 'u', sessionId: 's' });
    for (const [u, s] of [
      ['', 's'],
      ['u', ''],
      ['u', 'a\nb'],
      ['u', 'x'.repeat(513)],
      [1, 's'],
    ] as Array<[string, string]>) {
      let thrown: unknown;
      try {
        store.session(u, s);
      } catch (error) {
        thrown = error;
      }
      expect(isSessionStoreError(thrown, 'INVALID_ARGUMENT'), `${String(u)} / ${String(s).slice(0, 10)}`).toBe(true);
    }
  });

  it('a handle on a closed store rejects every call with CLOSED', async () => {
    const store = new InMemorySessionStore();
    const chat = store.session('u', 's');
    await store.close();
    await expectCode(chat.append({ n: 1 }), 'CLOSED');
    await expectCode(chat.info(), 'CLOSED');
    await expectCode(chat.trim({ beforeSeq: 1 }), 'CLOSED');
  });

  it('storeSession builds the same handle over any SessionStore', async () => {
    const store: SessionStore = new InMemorySessionStore();
    const chat = storeSession(store, 'u', 's');
    await chat.append({ n: 1 });
    expect(await store.getSession('u', 's', { limit: 0 })).toMatchObject({ messageCount: 1 });
    expect(await chat.info()).toMatchObject({ messageCount: 1, lastSeq: 1 });
  });
});
