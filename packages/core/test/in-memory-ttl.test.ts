import { describe, expect, it } from 'vitest';
import { expectCode, storeWithClock } from './helpers.js';

const TTL = 1000;

describe('TTL on an injected clock', () => {
  it('sets expiresAt from the store default and slides it on every write, never on reads', async () => {
    const { store, clock } = storeWithClock({ ttlMs: TTL });
    const start = clock.time;
    await store.append('u', 's', [{ t: 1 }, { t: 2 }, { t: 3 }]);
    const expiry = async () => (await store.getSession('u', 's'))?.expiresAt?.getTime();
    expect(await expiry()).toBe(start + TTL);

    clock.advance(100);
    await store.getSession('u', 's');
    await store.getMessages('u', 's');
    await store.listSessions('u');
    await store.getOrCreateSession('u', 's');
    expect(await expiry()).toBe(start + TTL);

    const writes: [string, () => Promise<unknown>][] = [
      ['append', () => store.append('u', 's', { t: 4 })],
      ['pop', () => store.popMessage('u', 's')],
      ['update', () => store.updateSession('u', 's', {})],
      ['clear', () => store.clearSession('u', 's')],
    ];
    for (const [name, write] of writes) {
      clock.advance(100);
      await write();
      expect(await expiry(), name).toBe(clock.time + TTL);
    }
  });

  it('a pop of an empty session does not slide or bump', async () => {
    const { store, clock } = storeWithClock({ ttlMs: TTL });
    await store.createSession('u', { sessionId: 's' });
    clock.advance(100);
    expect(await store.popMessage('u', 's')).toBeNull();
    const session = await store.getSession('u', 's');
    expect(session?.expiresAt?.getTime()).toBe(clock.time - 100 + TTL);
    expect(session?.updatedAt.getTime()).toBe(clock.time - 100);
  });

  it('per-session ttlMs overrides the default; null never expires; updateSession changes it from now', async () => {
    const { store, clock } = storeWithClock({ ttlMs: TTL });
    expect((await store.createSession('u', { sessionId: 'never', ttlMs: null })).expiresAt).toBeNull();
    expect((await store.createSession('u', { sessionId: 'long', ttlMs: 5000 })).expiresAt?.getTime()).toBe(clock.time + 5000);
    await store.append('u', 'long', { t: 1 });
    expect((await store.getSession('u', 'long'))?.expiresAt?.getTime()).toBe(clock.time + 5000);
    clock.advance(10);
    expect((await store.updateSession('u', 'never', { ttlMs: 200 })).expiresAt?.getTime()).toBe(clock.time + 200);
    expect((await store.updateSession('u', 'long', { ttlMs: null })).expiresAt).toBeNull();
    clock.advance(1_000_000);
    expect(await store.getSession('u', 'long')).not.toBeNull();
    expect(await store.getSession('u', 'never')).toBeNull();
  });

  it('an expired session behaves exactly as a deleted one', async () => {
    const { store, clock } = storeWithClock({ ttlMs: TTL });
    await store.createSession('u', { sessionId: 's', metadata: { old: true } });
    await store.append('u', 's', [{ t: 1 }, { t: 2 }], { idempotencyKey: 'k' });
    await store.createSession('u', { sessionId: 'other', ttlMs: null });
    clock.advance(TTL); // expiresAt is exclusive: at that instant it is gone
    expect(await store.getSession('u', 's')).toBeNull();
    expect(await store.getMessages('u', 's')).toEqual([]);
    expect(await store.popMessage('u', 's')).toBeNull();
    expect((await store.listSessions('u')).items.map((s) => s.id)).toEqual(['other']);
    await expectCode(store.updateSession('u', 's', {}), 'NOT_FOUND');
    await expectCode(store.forkSession('u', 's'), 'NOT_FOUND');
    expect(await store.deleteSession('u', 's')).toBe(false);
    // A write starts a fresh session: seq 1, no metadata, no idempotency keys.
    expect(await store.append('u', 's', { t: 'new' }, { idempotencyKey: 'k' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
    expect(await store.getSession('u', 's')).toMatchObject({ metadata: {}, lastSeq: 1, messageCount: 1 });
  });

  it('createSession and getOrCreateSession on an expired id start afresh; listUsers skips users with only expired sessions', async () => {
    const { store, clock } = storeWithClock({ ttlMs: TTL });
    await store.append('gone', 's', { t: 1 });
    await store.append('u', 's', { t: 1 });
    clock.advance(TTL + 1);
    expect((await store.createSession('u', { sessionId: 's' })).lastSeq).toBe(0);
    await store.append('u', 'g', { t: 1 });
    clock.advance(TTL + 1);
    expect(await store.getOrCreateSession('u', 'g')).toMatchObject({ created: true, lastSeq: 0, messages: [] });
    const users: string[] = [];
    for await (const user of store.listUsers()) users.push(user);
    expect(users).toEqual(['u']);
    expect(await store.deleteUser('gone')).toBe(0);
  });

  it('purgeExpired removes expired sessions and counts them', async () => {
    const { store, clock } = storeWithClock({ ttlMs: TTL });
    await store.append('a', 's1', { t: 1 });
    await store.append('b', 's1', { t: 1 });
    await store.createSession('b', { sessionId: 'keep', ttlMs: null });
    clock.advance(TTL + 1);
    expect(await store.purgeExpired({ batchSize: 1 })).toBe(2);
    expect(await store.purgeExpired()).toBe(0);
    expect((await store.listSessions('b')).items.map((s) => s.id)).toEqual(['keep']);
  });

  it('restoreMessages does not slide the expiry or bump updatedAt', async () => {
    const { store, clock } = storeWithClock();
    const updatedAt = new Date(clock.time - 50);
    const expiresAt = new Date(clock.time + 950);
    await store.restoreSession('u', { id: 's', metadata: {}, createdAt: updatedAt, updatedAt, expiresAt, lastSeq: 2 });
    clock.advance(10);
    await store.restoreMessages('u', 's', [{ seq: 2, createdAt: updatedAt, message: { t: 2 } }]);
    const session = await store.getSession('u', 's');
    expect(session?.updatedAt).toEqual(updatedAt);
    expect(session?.expiresAt).toEqual(expiresAt);
    // The restored TTL (expiresAt - updatedAt) slides on the next write.
    await store.append('u', 's', { t: 3 });
    expect((await store.getSession('u', 's'))?.expiresAt?.getTime()).toBe(clock.time + 1000);
  });
});
