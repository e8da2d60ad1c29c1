import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_MESSAGES, DEFAULT_READ_PAGE_SIZE, DriverSessionStore, MemoryBacking } from '../src/index.js';
import { recordingDriver, requestsOf } from './drivers.js';
import { expectCode } from './helpers.js';

const many = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ n: from + i }));
const seqs = (messages: { seq: number }[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('batch caps', () => {
  it('default to 10,000 messages and 16 MiB; whole-history reads to pages of 1000', () => {
    expect(DEFAULT_MAX_BATCH_MESSAGES).toBe(10_000);
    expect(DEFAULT_MAX_BATCH_BYTES).toBe(16 * 1024 * 1024);
    expect(DEFAULT_READ_PAGE_SIZE).toBe(1000);
  });

  it('reject every write over maxBatchMessages with TOO_LARGE before the driver is called', async () => {
    const { driver, calls } = recordingDriver();
    const store = new DriverSessionStore(driver, { maxBatchMessages: 3 });
    await store.append('u', 's', many(3));
    calls.length = 0;
    const error = await expectCode(store.append('u', 's', many(4)), 'TOO_LARGE');
    expect(error.message).toContain('maxBatchMessages');
    await expectCode(store.replaceTail('u', 's', { afterSeq: 0, messages: many(4) }), 'TOO_LARGE');
    await expectCode(store.rewriteMessages('u', 's', many(4).map((message, i) => ({ seq: i + 1, message }))), 'TOO_LARGE');
    await store.restoreSession('u', { id: 'r', metadata: {}, createdAt: new Date(), updatedAt: new Date(), expiresAt: null, lastSeq: 4 });
    calls.length = 0;
    await expectCode(store.restoreMessages('u', 'r', many(4).map((message, i) => ({ seq: i + 1, createdAt: new Date(), message }))), 'TOO_LARGE');
    expect(calls).toEqual([]);
  });

  it('count maxBatchBytes in UTF-8 bytes of the messages JSON text, the cap itself included', async () => {
    const { driver } = recordingDriver();
    const message = { t: 'é'.repeat(4) }; // {"t":"éééé"}: 8 + 8 bytes
    expect(Buffer.byteLength(JSON.stringify(message))).toBe(16);
    const store = new DriverSessionStore(driver, { maxBatchBytes: 32 });
    await store.append('u', 's', [message, message]);
    const error = await expectCode(store.append('u', 's', [message, message, { a: 1 }]), 'TOO_LARGE');
    expect(error.message).toContain('maxBatchBytes');
    expect(await store.getSession('u', 's', { limit: 0 })).toMatchObject({ messageCount: 2 });
  });
});

describe('bounded whole-history reads', () => {
  it('getMessages, getSession, getOrCreateSession and readHistory ask the driver for at most readPageSize entries per call', async () => {
    const { driver, calls } = recordingDriver(new MemoryBacking());
    const store = new DriverSessionStore(driver, { readPageSize: 4 });
    await store.append('u', 's', many(10));
    calls.length = 0;
    expect(seqs(await store.getMessages('u', 's'))).toEqual(range(1, 10));
    expect(seqs((await store.getSession('u', 's'))?.messages ?? [])).toEqual(range(1, 10));
    expect(seqs((await store.getOrCreateSession('u', 's')).messages)).toEqual(range(1, 10));
    expect(seqs(await store.getMessages('u', 's', { limit: 9 }))).toEqual(range(2, 10));
    expect(seqs(await store.getMessages('u', 's', { limit: 9, from: 'start' }))).toEqual(range(1, 9));
    const history: number[] = [];
    for await (const m of store.readHistory('u', 's')) history.push(m.seq);
    expect(history).toEqual(range(1, 10));
    const limits = calls.filter((c) => ['read', 'get', 'getOrCreate'].includes(c.method)).map((c) => (c.request as { limit?: number }).limit);
    expect(limits.length).toBeGreaterThan(6);
    for (const limit of limits) {
      expect(limit).toBeDefined();
      expect(limit).toBeLessThanOrEqual(4);
    }
  });

  it('reads the newest page first for limits from the end, and stops at a short page', async () => {
    const { driver, calls } = recordingDriver();
    const store = new DriverSessionStore(driver, { readPageSize: 3 });
    await store.append('u', 's', many(7));
    calls.length = 0;
    expect(seqs(await store.getMessages('u', 's', { limit: 5 }))).toEqual(range(3, 7));
    expect(requestsOf(calls, 'read').map((r) => [r['beforeSeq'], r['limit'], r['from']])).toEqual([
      [undefined, 3, 'end'],
      [5, 2, 'end'],
    ]);
    calls.length = 0;
    expect(seqs(await store.getMessages('u', 's'))).toEqual(range(1, 7));
    expect(requestsOf(calls, 'read').map((r) => [r['afterSeq'], r['limit']])).toEqual([
      [undefined, 3],
      [3, 3],
      [6, 3],
    ]);
  });

  it('readHistory uses its own pageSize, and the store page size when none is given', async () => {
    const { driver, calls } = recordingDriver();
    const store = new DriverSessionStore(driver, { readPageSize: 5 });
    await store.append('u', 's', many(6));
    calls.length = 0;
    for await (const _ of store.readHistory('u', 's', { pageSize: 2 })) void _;
    expect(requestsOf(calls, 'read').map((r) => r['limit'])).toEqual([2, 2, 2, 2]);
    calls.length = 0;
    for await (const _ of store.readHistory('u', 's')) void _;
    expect(requestsOf(calls, 'read').map((r) => r['limit'])).toEqual([5, 5]);
    await expectCode(
      (async () => {
        for await (const _ of store.readHistory('u', 's', { pageSize: -1 })) void _;
      })(),
      'INVALID_ARGUMENT',
    );
  });
});
