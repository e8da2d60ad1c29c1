import { describe, expect, it } from 'vitest';
import { decodeListCursor, InMemorySessionStore, MemoryBacking, type JsonObject } from '../src/index.js';
import { expectCode, storeWithClock } from './helpers.js';

const texts = (messages: { message: JsonObject }[]) => messages.map((m) => m.message['t']);
const seqs = (messages: { seq: number }[]) => messages.map((m) => m.seq);

async function seeded(count: number) {
  const { store, clock } = storeWithClock();
  await store.append('u', 's', Array.from({ length: count }, (_, i) => ({ t: i + 1 })));
  return { store, clock };
}

describe('append', () => {
  it('assigns contiguous seqs per batch, creates the session and bumps updatedAt', async () => {
    const { store, clock } = storeWithClock();
    expect(await store.append('u', 's', { t: 1 })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
    clock.advance(10);
    expect(await store.append('u', 's', [{ t: 2 }, { t: 3 }])).toEqual({ firstSeq: 2, lastSeq: 3, duplicate: false });
    const session = await store.getSession('u', 's');
    expect(session).toMatchObject({ lastSeq: 3, messageCount: 3, metadata: {}, expiresAt: null });
    expect(session?.updatedAt.getTime()).toBe(session!.createdAt.getTime() + 10);
    expect(session?.messages.map((m) => m.createdAt.getTime())).toEqual([clock.time - 10, clock.time, clock.time]);
  });

  it('keeps concurrent appends whole, contiguous and never duplicated', async () => {
    const store = new InMemorySessionStore();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, w) => store.append('u', 's', [{ w, i: 0 }, { w, i: 1 }, { w, i: 2 }])),
    );
    const firsts = results.map((r) => r.firstSeq).sort((a, b) => a - b);
    expect(firsts).toEqual(Array.from({ length: 40 }, (_, i) => 1 + i * 3));
    const messages = await store.getMessages('u', 's');
    expect(seqs(messages)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    for (const r of results) {
      const batch = messages.slice(r.firstSeq - 1, r.lastSeq).map((m) => m.message);
      expect(new Set(batch.map((m) => m['w'])).size).toBe(1);
      expect(batch.map((m) => m['i'])).toEqual([0, 1, 2]);
    }
  });

  it('returns the first result for an applied idempotency key, before checking expectedLastSeq', async () => {
    const { store } = await seeded(2);
    const first = await store.append('u', 's', [{ t: 3 }, { t: 4 }], { idempotencyKey: 'k1' });
    expect(first).toEqual({ firstSeq: 3, lastSeq: 4, duplicate: false });
    const again = await store.append('u', 's', [{ t: 99 }], { idempotencyKey: 'k1', expectedLastSeq: 0 });
    expect(again).toEqual({ firstSeq: 3, lastSeq: 4, duplicate: true });
    expect((await store.getSession('u', 's'))?.lastSeq).toBe(4);
  });

  it('keeps idempotency keys through clear and pop, drops them with delete, and a fork does not copy them', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', { t: 1 }, { idempotencyKey: 'k' });
    await store.popMessage('u', 's');
    await store.clearSession('u', 's');
    expect((await store.append('u', 's', { t: 2 }, { idempotencyKey: 'k' })).duplicate).toBe(true);
    await store.append('u', 's', { t: 3 });
    await store.forkSession('u', 's', { newSessionId: 'f' });
    expect((await store.append('u', 'f', { t: 4 }, { idempotencyKey: 'k' })).duplicate).toBe(false);
    await store.deleteSession('u', 's');
    expect(await store.append('u', 's', { t: 5 }, { idempotencyKey: 'k' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
  });

  it('appends only when expectedLastSeq matches (0 for a missing session); CONFLICT writes nothing', async () => {
    const store = new InMemorySessionStore();
    await expectCode(store.append('u', 's', { t: 1 }, { expectedLastSeq: 1 }), 'CONFLICT');
    expect(await store.getSession('u', 's')).toBeNull();
    expect((await store.append('u', 's', { t: 1 }, { expectedLastSeq: 0 })).firstSeq).toBe(1);
    const conflict = await expectCode(store.append('u', 's', { t: 2 }, { expectedLastSeq: 0 }), 'CONFLICT');
    expect((conflict as { retryable?: boolean }).retryable).toBe(true);
    expect((await store.append('u', 's', { t: 2 }, { expectedLastSeq: 1 })).firstSeq).toBe(2);
    expect((await store.getSession('u', 's'))?.lastSeq).toBe(2);
  });

  it('does not create with create: false', async () => {
    const store = new InMemorySessionStore();
    await expectCode(store.append('u', 's', { t: 1 }, { create: false }), 'NOT_FOUND');
    expect(await store.getSession('u', 's')).toBeNull();
    await store.createSession('u', { sessionId: 's' });
    expect((await store.append('u', 's', { t: 1 }, { create: false })).firstSeq).toBe(1);
  });

  it('validates with the messageSchema and stores what it returns', async () => {
    const { z } = await import('zod');
    const schema = z.object({ role: z.enum(['user', 'assistant']), content: z.string().trim() });
    const store = new InMemorySessionStore({ messageSchema: schema });
    await store.append('u', 's', { role: 'user', content: '  hi  ' });
    await expectCode(store.append('u', 's', { role: 'robot', content: 'x' } as unknown as { role: 'user'; content: string }), 'INVALID_ARGUMENT');
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ role: 'user', content: 'hi' }]);
  });
});

describe('getMessages', () => {
  it('reads ranges with exclusive bounds, limit from either end, always ascending', async () => {
    const { store } = await seeded(10);
    expect(texts(await store.getMessages('u', 's'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(texts(await store.getMessages('u', 's', { limit: 3 }))).toEqual([8, 9, 10]);
    expect(texts(await store.getMessages('u', 's', { limit: 3, from: 'start' }))).toEqual([1, 2, 3]);
    expect(texts(await store.getMessages('u', 's', { beforeSeq: 5, limit: 2 }))).toEqual([3, 4]);
    expect(texts(await store.getMessages('u', 's', { afterSeq: 5, limit: 2, from: 'start' }))).toEqual([6, 7]);
    expect(texts(await store.getMessages('u', 's', { afterSeq: 3, beforeSeq: 6 }))).toEqual([4, 5]);
    expect(await store.getMessages('u', 's', { limit: 0 })).toEqual([]);
    expect(await store.getMessages('u', 'missing')).toEqual([]);
    expect(await store.getSession('u', 's', { limit: 0 })).toMatchObject({ messages: [], messageCount: 10 });
  });

  it('keeps seq gaps after pops and never reuses a seq', async () => {
    const { store } = await seeded(3);
    expect((await store.popMessage('u', 's'))?.seq).toBe(3);
    await store.append('u', 's', { t: 4 });
    expect(seqs(await store.getMessages('u', 's'))).toEqual([1, 2, 4]);
    expect(seqs(await store.getMessages('u', 's', { afterSeq: 2 }))).toEqual([4]);
    expect(seqs(await store.getMessages('u', 's', { beforeSeq: 4, limit: 1 }))).toEqual([2]);
  });
});

describe('popMessage and clearSession', () => {
  it('pops the newest message, null when there is none; a pop that removed something bumps updatedAt', async () => {
    const { store, clock } = await seeded(2);
    clock.advance(5);
    expect(await store.popMessage('u', 's')).toMatchObject({ seq: 2, message: { t: 2 } });
    expect((await store.getSession('u', 's'))?.updatedAt.getTime()).toBe(clock.time);
    await store.popMessage('u', 's');
    clock.advance(5);
    expect(await store.popMessage('u', 's')).toBeNull();
    expect((await store.getSession('u', 's'))?.updatedAt.getTime()).toBe(clock.time - 5);
    expect(await store.popMessage('u', 'missing')).toBeNull();
  });

  it('two concurrent pops never return the same message', async () => {
    const { store } = await seeded(2);
    const [a, b] = await Promise.all([store.popMessage('u', 's'), store.popMessage('u', 's')]);
    expect(new Set([a?.seq, b?.seq])).toEqual(new Set([1, 2]));
  });

  it('clear keeps metadata and lastSeq, empties the messages; a missing session is a no-op', async () => {
    const { store } = storeWithClock();
    await store.createSession('u', { sessionId: 's', metadata: { title: 't' } });
    await store.append('u', 's', [{ t: 1 }, { t: 2 }]);
    await store.clearSession('u', 's');
    expect(await store.getSession('u', 's')).toMatchObject({ metadata: { title: 't' }, lastSeq: 2, messageCount: 0, messages: [] });
    expect((await store.append('u', 's', { t: 3 })).firstSeq).toBe(3);
    await expect(store.clearSession('u', 'missing')).resolves.toBeUndefined();
    expect(await store.getSession('u', 'missing')).toBeNull();
  });
});

describe('sessions', () => {
  it('creates with metadata (null keys dropped) and refuses an existing id', async () => {
    const store = new InMemorySessionStore();
    const info = await store.createSession('u', { sessionId: 's', metadata: { a: 1, gone: null } });
    expect(info).toMatchObject({ userId: 'u', id: 's', metadata: { a: 1 }, messageCount: 0, lastSeq: 0 });
    await expectCode(store.createSession('u', { sessionId: 's' }), 'ALREADY_EXISTS');
    await expect(store.createSession('other', { sessionId: 's' })).resolves.toMatchObject({ userId: 'other' });
  });

  it('updates metadata by shallow merge, null removing a key; {} just bumps updatedAt', async () => {
    const { store, clock } = storeWithClock();
    await store.createSession('u', { sessionId: 's', metadata: { a: 1, b: { x: 1 } } });
    clock.advance(7);
    expect((await store.updateSession('u', 's', { metadata: { a: null, b: { y: 2 }, c: 'new' } })).metadata).toEqual({ b: { y: 2 }, c: 'new' });
    clock.advance(7);
    const bumped = await store.updateSession('u', 's', {});
    expect(bumped.updatedAt.getTime()).toBe(clock.time);
    expect(bumped.metadata).toEqual({ b: { y: 2 }, c: 'new' });
    await expectCode(store.updateSession('u', 'missing', {}), 'NOT_FOUND');
  });

  it('refuses an update whose merged metadata outgrows 64 KiB, leaving the session as it was', async () => {
    const store = new InMemorySessionStore();
    await store.createSession('u', { sessionId: 's', metadata: { a: 'x'.repeat(40_000) } });
    await expectCode(store.updateSession('u', 's', { metadata: { b: 'y'.repeat(40_000) } }), 'TOO_LARGE');
    expect(Object.keys((await store.getSession('u', 's'))!.metadata)).toEqual(['a']);
  });

  it('getOrCreateSession reads or creates, and exactly one of two concurrent calls creates', async () => {
    const store = new InMemorySessionStore();
    const [a, b] = await Promise.all([
      store.getOrCreateSession('u', 's', { metadata: { by: 'a' } }),
      store.getOrCreateSession('u', 's', { metadata: { by: 'b' } }),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    await store.append('u', 's', [{ t: 1 }, { t: 2 }, { t: 3 }]);
    const read = await store.getOrCreateSession('u', 's', { limit: 2 });
    expect(read).toMatchObject({ created: false, metadata: { by: 'a' }, messageCount: 3 });
    expect(texts(read.messages)).toEqual([2, 3]);
  });

  it('deletes a session (true if it existed) and every session of a user', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's1', { t: 1 });
    await store.append('u', 's2', { t: 1 });
    await store.append('v', 's1', { t: 1 });
    expect(await store.deleteSession('u', 's1')).toBe(true);
    expect(await store.deleteSession('u', 's1')).toBe(false);
    expect(await store.deleteUser('u')).toBe(1);
    expect(await store.deleteUser('u')).toBe(0);
    expect((await store.listSessions('u')).items).toEqual([]);
    expect(await store.getSession('v', 's1')).not.toBeNull();
  });

  it('keeps users apart: the same session id under two users is two sessions', async () => {
    const store = new InMemorySessionStore();
    await store.append('alice', 'chat', { t: 'a' });
    await store.append('bob', 'chat', { t: 'b' });
    await store.clearSession('bob', 'chat');
    expect(texts(await store.getMessages('alice', 'chat'))).toEqual(['a']);
    expect(await store.getMessages('bob', 'chat')).toEqual([]);
  });
});

describe('forkSession', () => {
  it('copies messages up to uptoSeq with their seqs, sets forkedFrom and lastSeq, inherits the TTL', async () => {
    const { store, clock } = storeWithClock();
    await store.createSession('u', { sessionId: 's', metadata: { title: 'x', drop: 1 }, ttlMs: 60_000 });
    await store.append('u', 's', [{ t: 1 }, { t: 2 }, { t: 3 }]);
    await store.popMessage('u', 's');
    await store.append('u', 's', { t: 4 });
    clock.advance(100);
    const fork = await store.forkSession('u', 's', { newSessionId: 'f', uptoSeq: 3, metadata: { drop: null, extra: true } });
    expect(fork).toMatchObject({ id: 'f', lastSeq: 3, messageCount: 2, metadata: { title: 'x', extra: true, forkedFrom: { sessionId: 's', seq: 3 } } });
    expect(fork.createdAt.getTime()).toBe(clock.time);
    expect(fork.expiresAt?.getTime()).toBe(clock.time + 60_000);
    const source = await store.getMessages('u', 's');
    const copied = await store.getMessages('u', 'f');
    expect(copied).toEqual(source.slice(0, 2));
    expect((await store.append('u', 'f', { t: 'next' })).firstSeq).toBe(4);
    expect(texts(await store.getMessages('u', 's'))).toEqual([1, 2, 4]);
  });

  it('clamps uptoSeq to lastSeq, generates an id, and refuses a missing source or an existing target', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', [{ t: 1 }, { t: 2 }]);
    const fork = await store.forkSession('u', 's', { uptoSeq: 99 });
    expect(fork.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fork).toMatchObject({ lastSeq: 2, messageCount: 2, metadata: { forkedFrom: { sessionId: 's', seq: 2 } } });
    await expectCode(store.forkSession('u', 'missing'), 'NOT_FOUND');
    await expectCode(store.forkSession('u', 's', { newSessionId: fork.id }), 'ALREADY_EXISTS');
    await expectCode(store.forkSession('u', 's', { newSessionId: 's' }), 'ALREADY_EXISTS');
  });
});

describe('listSessions and listUsers', () => {
  it('lists newest updatedAt first, ties by id, across keyset pages', async () => {
    const { store, clock } = storeWithClock();
    for (const id of ['b', 'a', 'c']) await store.createSession('u', { sessionId: id });
    clock.advance(1);
    await store.createSession('u', { sessionId: 'z' });
    clock.advance(1);
    await store.append('u', 'b', { t: 1 });
    const first = await store.listSessions('u', { limit: 2 });
    expect(first.items.map((s) => s.id)).toEqual(['b', 'z']);
    expect(decodeListCursor(first.nextCursor!)).toEqual({ updatedAt: clock.time - 1, id: 'z' });
    const second = await store.listSessions('u', { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((s) => s.id)).toEqual(['a', 'c']);
    expect(second.nextCursor).toBeNull();
    expect(await store.listSessions('u', { limit: 0 })).toEqual({ items: [], nextCursor: null });
    expect(first.items[0]).not.toHaveProperty('messages');
  });

  it('pages with the default limit of 50', async () => {
    const store = new InMemorySessionStore();
    for (let i = 0; i < 51; i++) await store.createSession('u', { sessionId: `s${i}` });
    const page = await store.listSessions('u');
    expect(page.items).toHaveLength(50);
    expect((await store.listSessions('u', { cursor: page.nextCursor })).items).toHaveLength(1);
  });

  it('lists every user with a session once', async () => {
    const store = new InMemorySessionStore();
    await store.append('a', 's1', { t: 1 });
    await store.append('a', 's2', { t: 1 });
    await store.append('b', 's1', { t: 1 });
    await store.append('c', 's1', { t: 1 });
    await store.deleteUser('c');
    const users: string[] = [];
    for await (const user of store.listUsers()) users.push(user);
    expect(users.sort()).toEqual(['a', 'b']);
  });
});

describe('lifecycle', () => {
  it('after close every call is CLOSED, close is idempotent and health says so without throwing', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', { t: 1 });
    expect(await store.health()).toMatchObject({ ok: true });
    await store.close();
    await store.close();
    await expectCode(store.getSession('u', 's'), 'CLOSED');
    await expectCode(store.append('u', 's', { t: 1 }), 'CLOSED');
    await expectCode(store.listSessions('u'), 'CLOSED');
    await expectCode(store.purgeExpired(), 'CLOSED');
    await expectCode((async () => { for await (const _ of store.listUsers()) break; })(), 'CLOSED');
    expect(await store.health()).toMatchObject({ ok: false });
  });

  it('closes through await using', async () => {
    const store = new InMemorySessionStore();
    {
      await using scoped = store;
      await scoped.append('u', 's', { t: 1 });
    }
    await expectCode(store.getSession('u', 's'), 'CLOSED');
  });

  it('shares a backing between stores, and closing one leaves it intact', async () => {
    const backing = new MemoryBacking();
    const a = new InMemorySessionStore({ backing });
    const b = new InMemorySessionStore({ backing });
    await a.append('u', 's', { t: 1 });
    await b.append('u', 's', { t: 2 });
    await a.close();
    expect(texts(await b.getMessages('u', 's'))).toEqual([1, 2]);
  });
});
