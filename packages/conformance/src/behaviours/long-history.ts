import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, present, range, seqsOf } from '../helpers.js';

const LENGTH = 2_000;

/**
 * Rule 2, functionally: on a long session, appends and bounded reads touch only the end they
 * need and still answer exactly. (The cost itself is measured in tools/bench, not here: tests
 * make no timed assertions.)
 */
export function longHistoryBehaviour(ctx: SuiteContext): void {
  describe('long history', () => {
    it(`answers bounded reads and appends exactly on a ${LENGTH}-message session`, async () => {
      const { userId, sessionId } = ctx.freshIds();
      const batch = Math.min(ctx.capabilities.maxBatchSize ?? 500, 500);
      for (let first = 1; first <= LENGTH; first += batch) {
        const size = Math.min(batch, LENGTH - first + 1);
        expect(await ctx.store.append(userId, sessionId, chatMessages(size, 'long', first))).toMatchObject({
          firstSeq: first,
          lastSeq: first + size - 1,
        });
      }
      expect(await ctx.store.append(userId, sessionId, chatMessages(1, 'long', LENGTH + 1))).toMatchObject({ firstSeq: LENGTH + 1 });
      const newest = await ctx.store.getMessages(userId, sessionId, { limit: 3 });
      expect(seqsOf(newest)).toEqual([LENGTH - 1, LENGTH, LENGTH + 1]);
      expect(newest.map((m) => m.message)).toEqual(chatMessages(3, 'long', LENGTH - 1));
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId, { limit: 2, from: 'start' }))).toEqual([1, 2]);
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId, { afterSeq: 1000, limit: 3, from: 'start' }))).toEqual([1001, 1002, 1003]);
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId, { beforeSeq: 1000, limit: 2 }))).toEqual([998, 999]);
      const session = present(await ctx.store.getSession(userId, sessionId, { limit: 1 }), 'the session');
      expect(session).toMatchObject({ messageCount: LENGTH + 1, lastSeq: LENGTH + 1 });
      expect(seqsOf(session.messages)).toEqual([LENGTH + 1]);
      expect((await ctx.store.popMessage(userId, sessionId))?.seq).toBe(LENGTH + 1);
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual(range(1, LENGTH));
    });
  });
}
