import { describe, expect, it } from 'vitest';
import { memoryStores, rawMessages } from './fixtures.js';

const MINUTE = 60_000;

function fakeClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const clock = () => now;
  return { clock, advance: (ms: number) => void (now += ms) };
}

describe('messageTtlMs', () => {
  it('hides messages older than the TTL from every read', async () => {
    const time = fakeClock();
    const { store } = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    await store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    time.advance(6 * MINUTE);
    await store.append('u', 's', [{ i: 3 }, { i: 4 }]);
    time.advance(5 * MINUTE);
    const texts = (list: { message: { i?: unknown } }[]) => list.map((m) => m.message.i);
    expect(texts(await store.getMessages('u', 's'))).toEqual([3, 4]);
    expect(texts(await store.getMessages('u', 's', { limit: 3 }))).toEqual([3, 4]);
    // Counting from the start skips the expired ones instead of returning fewer.
    expect(texts(await store.getMessages('u', 's', { limit: 1, from: 'start' }))).toEqual([3]);
    expect(texts(await store.getMessages('u', 's', { limit: 3, from: 'start' }))).toEqual([3, 4]);
    expect(texts((await store.getSession('u', 's'))!.messages)).toEqual([3, 4]);
    expect(texts((await store.getOrCreateSession('u', 's')).messages)).toEqual([3, 4]);
    time.advance(6 * MINUTE);
    expect(await store.getMessages('u', 's')).toEqual([]);
    expect(await store.getMessages('u', 's', { limit: 1, from: 'start' })).toEqual([]);
    expect(await store.popMessage('u', 's')).toBeNull();
  });

  it('purgeExpiredMessages removes expired messages and keeps seqs and live messages', async () => {
    const time = fakeClock();
    const { store, raw } = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    for (let i = 1; i <= 4; i++) {
      await store.append('u', 's', { i });
      await store.append('u', 'all-old', { i });
    }
    time.advance(8 * MINUTE);
    await store.append('u', 's', { i: 5 });
    await store.append('v', 'fresh', { i: 1 });
    time.advance(3 * MINUTE);
    expect((await raw.getMessages('u', 's')).length).toBe(5);
    expect(await store.purgeExpiredMessages({ staleAfterMs: 0 })).toEqual({ sessions: 2, messages: 8 });
    expect((await raw.getMessages('u', 's')).map((m) => m.seq)).toEqual([5]);
    expect(await rawMessages(raw, 'u', 'all-old')).toEqual([]);
    expect((await raw.getMessages('v', 'fresh')).length).toBe(1);
    expect(await store.getSession('u', 'all-old', { limit: 0 })).toMatchObject({ messageCount: 0, lastSeq: 4 });
    expect((await store.append('u', 'all-old', { i: 5 })).firstSeq).toBe(5);
    expect(await store.purgeExpiredMessages()).toEqual({ sessions: 0, messages: 0 });
  });

  it('forks only the live messages, with their seqs', async () => {
    const time = fakeClock();
    const { store } = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    await store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    time.advance(11 * MINUTE);
    await store.append('u', 's', { i: 3 });
    const fork = await store.forkSession('u', 's', { newSessionId: 'f' });
    expect(fork).toMatchObject({ lastSeq: 3, messageCount: 1 });
    expect((await store.getMessages('u', 'f')).map((m) => [m.seq, m.message])).toEqual([[3, { i: 3 }]]);
  });

  it('without a TTL, nothing is hidden and purgeExpiredMessages does nothing', async () => {
    const time = fakeClock();
    const { store } = memoryStores({}, time.clock);
    await store.append('u', 's', { i: 1 });
    time.advance(365 * 24 * 60 * MINUTE);
    expect(await store.getMessages('u', 's')).toHaveLength(1);
    expect(await store.purgeExpiredMessages()).toEqual({ sessions: 0, messages: 0 });
  });
});
