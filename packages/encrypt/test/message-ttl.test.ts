import { describe, expect, it } from 'vitest';
import { purgeExpiredMessages } from '../src/index.js';
import { memoryStores, rawState, rawTexts, setRawText } from './fixtures.js';

const MINUTE = 60_000;

function fakeClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const clock = () => now;
  return { clock, advance: (ms: number) => void (now += ms) };
}

const values = (list: { message: { i?: unknown } }[]) => list.map((m) => m.message.i);

describe('messageTtlMs', () => {
  it('hides messages older than the TTL from every read', async () => {
    const time = fakeClock();
    const { store } = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    await store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    time.advance(6 * MINUTE);
    await store.append('u', 's', [{ i: 3 }, { i: 4 }]);
    time.advance(5 * MINUTE);
    expect(values(await store.getMessages('u', 's'))).toEqual([3, 4]);
    expect(values(await store.getMessages('u', 's', { limit: 3 }))).toEqual([3, 4]);
    expect(values((await store.getSession('u', 's'))!.messages)).toEqual([3, 4]);
    expect(values((await store.getOrCreateSession('u', 's')).messages)).toEqual([3, 4]);
    const history: unknown[] = [];
    for await (const message of store.readHistory('u', 's', { pageSize: 1 })) history.push(message.message['i']);
    expect(history).toEqual([3, 4]);
    time.advance(6 * MINUTE);
    expect(await store.getMessages('u', 's')).toEqual([]);
    expect(await store.popMessage('u', 's')).toBeNull();
  });

  it('never decrypts an expired message: an unreadable expired one is just hidden', async () => {
    const time = fakeClock();
    const { store, backing } = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    await store.append('u', 's', { i: 1 });
    time.advance(11 * MINUTE);
    await store.append('u', 's', { i: 2 });
    setRawText(backing, 'u', 's', 1, 'null');
    expect(values(await store.getMessages('u', 's'))).toEqual([2]);
  });

  it('purgeExpiredMessages trims the expired prefix with trimSession, keeping seqs and live messages', async () => {
    const time = fakeClock();
    const stores = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    const { store, codec, backing } = stores;
    for (let i = 1; i <= 4; i++) {
      await store.append('u', 's', { i });
      await store.append('u', 'all-old', { i });
    }
    time.advance(8 * MINUTE);
    await store.append('u', 's', { i: 5 });
    await store.append('v', 'fresh', { i: 1 });
    time.advance(3 * MINUTE);
    expect(rawTexts(backing, 'u', 's')).toHaveLength(5);
    expect(await purgeExpiredMessages(store, codec, { batchSize: 3 })).toEqual({ sessions: 2, messages: 8 });
    expect(rawState(backing, 'u', 's').messages.map((m) => m.seq)).toEqual([5]);
    expect(rawTexts(backing, 'u', 'all-old')).toEqual([]);
    expect(rawTexts(backing, 'v', 'fresh')).toHaveLength(1);
    expect(await store.getSession('u', 'all-old', { limit: 0 })).toMatchObject({ messageCount: 0, lastSeq: 4 });
    expect((await store.append('u', 'all-old', { i: 5 })).firstSeq).toBe(5);
    expect(await purgeExpiredMessages(store, codec)).toEqual({ sessions: 0, messages: 0 });
    // One user only.
    time.advance(11 * MINUTE);
    expect(await purgeExpiredMessages(store, codec, { userId: 'v' })).toEqual({ sessions: 1, messages: 1 });
    expect(rawTexts(backing, 'u', 's')).toHaveLength(1);
  });

  it('stops at the first live message even when it cannot be decrypted: nothing live is trimmed', async () => {
    const time = fakeClock();
    const stores = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    time.advance(11 * MINUTE);
    await stores.store.append('u', 's', [{ i: 3 }, { i: 4 }]);
    setRawText(stores.backing, 'u', 's', 3, 'null');
    for (const policy of ['throw', 'skip'] as const) {
      const { store, codec } = stores.reopen({ onDecryptError: policy });
      await purgeExpiredMessages(store, codec);
      expect(rawState(stores.backing, 'u', 's').messages.map((m) => m.seq)).toEqual([3, 4]);
    }
  });

  it('forks copy the history; expired messages stay hidden in the fork', async () => {
    const time = fakeClock();
    const { store } = memoryStores({ messageTtlMs: 10 * MINUTE }, time.clock);
    await store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    time.advance(11 * MINUTE);
    await store.append('u', 's', { i: 3 });
    const fork = await store.forkSession('u', 's', { newSessionId: 'f' });
    expect(fork).toMatchObject({ lastSeq: 3 });
    expect((await store.getMessages('u', 'f')).map((m) => [m.seq, m.message])).toEqual([[3, { i: 3 }]]);
  });

  it('without a TTL, nothing is hidden and purgeExpiredMessages does nothing', async () => {
    const time = fakeClock();
    const { store, codec } = memoryStores({}, time.clock);
    await store.append('u', 's', { i: 1 });
    time.advance(365 * 24 * 60 * MINUTE);
    expect(await store.getMessages('u', 's')).toHaveLength(1);
    expect(await purgeExpiredMessages(store, codec)).toEqual({ sessions: 0, messages: 0 });
  });
});
