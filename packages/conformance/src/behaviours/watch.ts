import { describe, expect, it } from 'vitest';
import type { JsonObject, SessionChange } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages } from '../helpers.js';

/** How often the watches of this suite re-read without a notification: fast, so polling backends pass quickly. */
const POLL_MS = 50;
/** How long a change may take to arrive before the test fails. */
const WAIT_MS = 10_000;

/** Pulls changes until `done(changes)` holds; fails after {@link WAIT_MS}. */
async function until(iterator: AsyncIterator<SessionChange<JsonObject>>, done: (changes: SessionChange<JsonObject>[]) => boolean): Promise<SessionChange<JsonObject>[]> {
  const changes: SessionChange<JsonObject>[] = [];
  const deadline = Date.now() + WAIT_MS;
  while (!done(changes)) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
    if (next === 'timeout') throw new Error(`the watch gave ${JSON.stringify(changes.map(describeChange))} within ${WAIT_MS} ms, which is not enough`);
    if (next.done) break;
    changes.push(next.value);
  }
  return changes;
}

function describeChange(change: SessionChange<JsonObject>): string {
  return change.type === 'appended' ? `appended ${change.messages.map((m) => m.seq).join(',')}` : change.type;
}

const appendedSeqs = (changes: SessionChange<JsonObject>[]) => changes.flatMap((c) => (c.type === 'appended' ? c.messages.map((m) => m.seq) : []));

/** watch: a reader follows a session as other clients write it. */
export function watchBehaviour(ctx: SuiteContext): void {
  describe('watch', () => {
    it('delivers the history, then every message appended by other clients, once each, in seq order', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const writers = await Promise.all([ctx.openStore(), ctx.openStore()]);
      const iterator = ctx.store.watch(userId, sessionId, { pollIntervalMs: POLL_MS })[Symbol.asyncIterator]();
      try {
        expect(appendedSeqs(await until(iterator, (c) => appendedSeqs(c).length >= 3))).toEqual([1, 2, 3]);
        await Promise.all(writers.map(async (writer, w) => {
          for (let i = 0; i < 5; i++) await writer.append(userId, sessionId, chatMessages(2, `w${w}-${i}`));
        }));
        const changes = await until(iterator, (c) => appendedSeqs(c).length >= 20);
        expect(appendedSeqs(changes)).toEqual(Array.from({ length: 20 }, (_, i) => i + 4));
        const stored = await ctx.store.getMessages(userId, sessionId, { afterSeq: 3 });
        expect(changes.flatMap((c) => (c.type === 'appended' ? c.messages.map((m) => m.message) : []))).toEqual(stored.map((m) => m.message));
      } finally {
        await iterator.return?.();
      }
    });

    it('resumes after the seq it is given with exactly what was missed', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(6));
      const iterator = ctx.store.watch(userId, sessionId, { afterSeq: 4, pollIntervalMs: POLL_MS })[Symbol.asyncIterator]();
      try {
        expect(appendedSeqs(await until(iterator, (c) => appendedSeqs(c).length >= 2))).toEqual([5, 6]);
      } finally {
        await iterator.return?.();
      }
    });

    it('reports a pop, a trim, a rewrite, a metadata update and a replaceTail as changes, and deletion as deleted', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const writer = await ctx.openStore();
      await writer.append(userId, sessionId, chatMessages(5));
      const iterator = ctx.store.watch(userId, sessionId, { pollIntervalMs: POLL_MS })[Symbol.asyncIterator]();
      try {
        await until(iterator, (c) => appendedSeqs(c).length >= 5);
        await writer.popMessage(userId, sessionId);
        expect((await until(iterator, (c) => c.some((x) => x.type === 'changed'))).at(-1)).toMatchObject({ type: 'changed', session: { messageCount: 4, lastSeq: 5 } });
        await writer.trimSession(userId, sessionId, { beforeSeq: 2 });
        expect((await until(iterator, (c) => c.some((x) => x.type === 'changed'))).at(-1)).toMatchObject({ type: 'changed', session: { messageCount: 3 } });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await writer.rewriteMessages(userId, sessionId, [{ seq: 3, message: { role: 'user', content: 'redacted' } }]);
        expect((await until(iterator, (c) => c.some((x) => x.type === 'changed'))).at(-1)?.type).toBe('changed');
        await writer.updateSession(userId, sessionId, { metadata: { watched: true } });
        expect((await until(iterator, (c) => c.some((x) => x.type === 'changed'))).at(-1)).toMatchObject({ type: 'changed', session: { metadata: { watched: true } } });
        await writer.replaceTail(userId, sessionId, { afterSeq: 3, messages: chatMessages(1, 'tail') });
        const replaced = await until(iterator, (c) => appendedSeqs(c).length >= 1 && c.some((x) => x.type === 'changed'));
        expect(appendedSeqs(replaced)).toEqual([6]);
        await writer.deleteSession(userId, sessionId);
        expect(await until(iterator, (c) => c.some((x) => x.type === 'deleted'))).toContainEqual({ type: 'deleted' });
        await writer.append(userId, sessionId, chatMessages(1, 'again'));
        expect(appendedSeqs(await until(iterator, (c) => appendedSeqs(c).length >= 1)), 'a new session starts again at seq 1').toEqual([1]);
      } finally {
        await iterator.return?.();
      }
    });

    it('hands out a long backlog a bounded page at a time, and stops when the loop is left', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const store = await ctx.openStore({ readPageSize: 7 });
      await store.append(userId, sessionId, chatMessages(30));
      let pages = 0;
      let seen = 0;
      for await (const change of store.watch(userId, sessionId, { pollIntervalMs: POLL_MS })) {
        if (change.type !== 'appended') continue;
        expect(change.messages.length).toBeLessThanOrEqual(7);
        pages++;
        seen += change.messages.length;
        if (seen === 30) break;
      }
      expect(pages).toBeGreaterThanOrEqual(5);
      // Leaving the loop released the watch: the store closes without waiting on it.
      await ctx.closeStore(store);
    });

    it('an aborted signal ends the loop quietly', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const controller = new AbortController();
      const iterator = ctx.store.watch(userId, sessionId, { pollIntervalMs: 60_000, signal: controller.signal })[Symbol.asyncIterator]();
      const next = iterator.next();
      setTimeout(() => controller.abort(), 50);
      expect(await next).toEqual({ done: true, value: undefined });
    });
  });
}
