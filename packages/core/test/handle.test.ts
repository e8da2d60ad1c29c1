import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, openSession } from '../src/index.js';
import { expectCode } from './helpers.js';

describe('openSession', () => {
  it('adds, reads (newest limit, oldest first), pops and clears items', async () => {
    const store = new InMemorySessionStore();
    const session = openSession(store, 'u', 'chat');
    expect(await session.getSessionId()).toBe('chat');
    expect(await session.getItems()).toEqual([]);
    await session.addItems([{ n: 1 }, { n: 2 }]);
    await session.addItems([{ n: 3 }]);
    expect(await session.getItems()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await session.getItems(2)).toEqual([{ n: 2 }, { n: 3 }]);
    expect(await session.popItem()).toEqual({ n: 3 });
    await session.clearSession();
    expect(await session.getItems()).toEqual([]);
    expect(await session.popItem()).toBeUndefined();
    expect((await store.getSession('u', 'chat'))?.lastSeq).toBe(3);
  });

  it('appends one batch atomically and does nothing for an empty one', async () => {
    const store = new InMemorySessionStore();
    const session = openSession(store, 'u', 'chat');
    await session.addItems([]);
    expect(await store.getSession('u', 'chat')).toBeNull();
    await session.addItems([{ n: 1 }, { n: 2 }]);
    expect(await store.getMessages('u', 'chat')).toHaveLength(2);
    expect((await store.getSession('u', 'chat'))?.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('generates one id lazily when none is given, and keeps it', async () => {
    const store = new InMemorySessionStore();
    const session = openSession(store, 'u');
    expect((await store.listSessions('u')).items).toEqual([]);
    const id = await session.getSessionId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await session.addItems([{ n: 1 }]);
    expect(await session.getSessionId()).toBe(id);
    expect((await store.listSessions('u')).items.map((s) => s.id)).toEqual([id]);
  });

  it('trims ids like the store and refuses bad ones at once', async () => {
    const store = new InMemorySessionStore();
    expect(await openSession(store, ' u ', ' chat ').getSessionId()).toBe('chat');
    expect(() => openSession(store, '', 'chat')).toThrow(/userId/);
    expect(() => openSession(store, 'u', 'a\nb')).toThrow(/sessionId/);
    await store.close();
    await expectCode(openSession(store, 'u', 'chat').getItems(), 'CLOSED');
  });
});
