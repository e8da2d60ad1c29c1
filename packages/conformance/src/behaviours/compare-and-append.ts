import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged } from '../helpers.js';

/** Rule 3: with `expectedLastSeq` the append happens only if `lastSeq` still equals it. */
export function compareAndAppendBehaviour(ctx: SuiteContext): void {
  describe('compare-and-append (expectedLastSeq)', () => {
    it('appends when lastSeq matches, including 0 for a missing session', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await ctx.store.append(userId, sessionId, chatMessages(2), { expectedLastSeq: 0 })).toEqual({
        firstSeq: 1,
        lastSeq: 2,
        duplicate: false,
      });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 2 })).toMatchObject({ firstSeq: 3 });
    });

    it('is CONFLICT when lastSeq differs, writes nothing, and says the error is retryable', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const before = await ctx.store.getSession(userId, sessionId);
      for (const expectedLastSeq of [0, 2, 4, 100]) {
        const error = await expectCode(ctx.store.append(userId, sessionId, chatMessages(2), { expectedLastSeq }), 'CONFLICT');
        expect(error.retryable).toBe(true);
      }
      await expectUnchanged(ctx.store, userId, sessionId, before);
    });

    it('is CONFLICT on a missing session when expectedLastSeq is not 0, and creates nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 1 }), 'CONFLICT');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });

    it('compares against lastSeq, not messageCount: pops and clears do not lower it', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      await ctx.store.popMessage(userId, sessionId);
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 2 }), 'CONFLICT');
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 3 })).toMatchObject({ firstSeq: 4 });
      await ctx.store.clearSession(userId, sessionId);
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 0 }), 'CONFLICT');
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 4 })).toMatchObject({ firstSeq: 5 });
    });

    it('checks expectedLastSeq before create: false', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 0, create: false }), 'NOT_FOUND');
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 5, create: false }), 'CONFLICT');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });

    it('lets exactly one of two racing appends with the same expectedLastSeq win', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const results = await Promise.allSettled([
        ctx.store.append(userId, sessionId, chatMessages(2, 'a'), { expectedLastSeq: 1 }),
        ctx.store.append(userId, sessionId, chatMessages(2, 'b'), { expectedLastSeq: 1 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected');
      await expectCode(Promise.reject(loser?.reason), 'CONFLICT');
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 3, lastSeq: 3 });
    });
  });
}
