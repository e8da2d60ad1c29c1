import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, seqsOf } from '../helpers.js';

/** `setup()`: creates what the backend needs; safe to re-run, and never loses data. */
export function setupBehaviour(ctx: SuiteContext): void {
  describe('setup', () => {
    it('can run twice on a store holding data, which it keeps; the store works afterwards', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      const store = await ctx.openStore();
      await expect(store.setup()).resolves.toBeUndefined();
      await expect(store.setup()).resolves.toBeUndefined();
      expect(seqsOf(await store.getMessages(userId, sessionId))).toEqual([1, 2]);
      expect(await store.append(userId, sessionId, chatMessages(1))).toMatchObject({ firstSeq: 3 });
      await expect(ctx.store.setup()).resolves.toBeUndefined();
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 3, lastSeq: 3 });
      await ctx.closeStore(store);
    });
  });
}
