import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, MemoryBacking, type SessionChange } from '../src/index.js';

/** Pulls changes from a watch until `count` have arrived (or the timeout). */
async function take<M>(iterator: AsyncIterator<SessionChange<M>>, count: number, timeoutMs = 3000): Promise<SessionChange<M>[]> {
  const changes: SessionChange<M>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (changes.length < count) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))),
    ]);
    if (next === 'timeout') throw new Error(`only ${changes.length} of ${count} changes arrived: ${JSON.stringify(changes)}`);
    if (next.done) break;
    changes.push(next.value);
  }
  return changes;
}

const seqsOf = (changes: SessionChange[]) =>
  changes.flatMap((change) => (change.type === 'appended' ? change.messages.map((m) => m.seq) : []));

describe('watch (memory)', () => {
  it('delivers the history, then appends from another store on the same data, without gaps or duplicates', async () => {
    const backing = new MemoryBacking();
    const writer = new InMemorySessionStore({ backing });
    const reader = new InMemorySessionStore({ backing });
    await writer.append('u', 's', [{ n: 1 }, { n: 2 }]);
    const controller = new AbortController();
    const iterator = reader.session('u', 's').watch({ signal: controller.signal, pollIntervalMs: 60_000 })[Symbol.asyncIterator]();
    const first = await take(iterator, 1);
    expect(seqsOf(first)).toEqual([1, 2]);
    await writer.append('u', 's', { n: 3 });
    await writer.append('u', 's', [{ n: 4 }, { n: 5 }]);
    const later = await take(iterator, 1);
    const more = seqsOf(later)[seqsOf(later).length - 1] === 5 ? [] : await take(iterator, 1);
    expect([...seqsOf(later), ...seqsOf(more)]).toEqual([3, 4, 5]);
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
  });

  it('resumes from afterSeq with exactly what was missed', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    const iterator = store.watch('u', 's', { afterSeq: 2 })[Symbol.asyncIterator]();
    expect(seqsOf(await take(iterator, 1))).toEqual([3, 4]);
    await iterator.return?.();
  });

  it('reports pops, rewrites, metadata updates and deletion as changes', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', [{ n: 1 }, { n: 2 }]);
    const iterator = store.watch('u', 's', { pollIntervalMs: 60_000 })[Symbol.asyncIterator]();
    await take(iterator, 1);
    await store.popMessage('u', 's');
    const [popped] = await take(iterator, 1);
    expect(popped).toMatchObject({ type: 'changed', session: { messageCount: 1, lastSeq: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 2));
    await store.rewriteMessages('u', 's', [{ seq: 1, message: { n: 'one' } }]);
    expect((await take(iterator, 1))[0]).toMatchObject({ type: 'changed' });
    await store.updateSession('u', 's', { metadata: { title: 'x' } });
    expect((await take(iterator, 1))[0]).toMatchObject({ type: 'changed', session: { metadata: { title: 'x' } } });
    await store.deleteSession('u', 's');
    expect((await take(iterator, 1))[0]).toEqual({ type: 'deleted' });
    await store.append('u', 's', { n: 'again' });
    expect(seqsOf(await take(iterator, 1))).toEqual([1]);
    await iterator.return?.();
  });

  it('replaceTail arrives as new seqs after the cursor, with a change for the removal', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const iterator = store.watch('u', 's', { pollIntervalMs: 60_000 })[Symbol.asyncIterator]();
    await take(iterator, 1);
    await store.replaceTail('u', 's', { afterSeq: 1, messages: [{ n: 'b' }] });
    const changes = await take(iterator, 2);
    expect(seqsOf(changes)).toEqual([4]);
    expect(changes.some((change) => change.type === 'changed')).toBe(true);
    await iterator.return?.();
  });

  it('a slow reader is never ahead of the store: pages are read when asked for', async () => {
    const store = new InMemorySessionStore({ readPageSize: 10 });
    await store.append('u', 's', Array.from({ length: 35 }, (_, n) => ({ n })));
    const iterator = store.watch('u', 's')[Symbol.asyncIterator]();
    const pages = await take(iterator, 4);
    expect(pages.map((page) => (page.type === 'appended' ? page.messages.length : 0))).toEqual([10, 10, 10, 5]);
    expect(seqsOf(pages)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    await iterator.return?.();
  });

  it('rejects bad options and a closed store with typed errors', async () => {
    const store = new InMemorySessionStore();
    expect(() => store.watch('u', 's', { afterSeq: -1 })).toThrow(/afterSeq/);
    expect(() => store.watch('u', 's', { pollIntervalMs: 0 })).toThrow(/pollIntervalMs/);
    await store.close();
    expect(() => store.watch('u', 's')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });
});

describe('store details found in review', () => {
  it('readHistory never reads more than readPageSize per call and refuses pageSize 0', async () => {
    const store = new InMemorySessionStore({ readPageSize: 4 });
    await store.append('u', 's', Array.from({ length: 10 }, (_, n) => ({ n })));
    const seen: number[] = [];
    for await (const message of store.readHistory('u', 's', { pageSize: 1_000_000 })) seen.push(message.seq);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    await expect(store.readHistory('u', 's', { pageSize: 0 })[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('rewriteMessages with nothing to rewrite still answers NOT_FOUND and CONFLICT', async () => {
    const store = new InMemorySessionStore();
    await expect(store.rewriteMessages('u', 'missing', [])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await store.append('u', 's', { n: 1 });
    await expect(store.rewriteMessages('u', 's', [], { expectedLastSeq: 0 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await store.rewriteMessages('u', 's', [], { expectedLastSeq: 1 })).toEqual({ rewritten: 0, missing: [] });
  });
});
