import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, present, seqsOf, sleep } from '../helpers.js';

/** popMessage: newest first, counters, updatedAt only when something was removed, null when empty. */
export function popBehaviour(ctx: SuiteContext): void {
  describe('popMessage', () => {
    it('removes and returns the newest message, one at a time, until null', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const messages = chatMessages(3);
      await ctx.store.append(userId, sessionId, messages);
      const stored = await ctx.store.getMessages(userId, sessionId);
      expect(await ctx.store.popMessage(userId, sessionId)).toEqual(stored[2]);
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 2, lastSeq: 3 });
      expect(await ctx.store.popMessage(userId, sessionId)).toEqual(stored[1]);
      expect(await ctx.store.popMessage(userId, sessionId)).toEqual(stored[0]);
      expect(await ctx.store.popMessage(userId, sessionId)).toBeNull();
      const session = await ctx.store.getSession(userId, sessionId);
      expect(session).toMatchObject({ messageCount: 0, lastSeq: 3, messages: [] });
    });

    it('bumps updatedAt when it removes a message, and not when there is nothing to pop', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const appended = present(await ctx.store.getSession(userId, sessionId), 'the session');
      await sleep(3);
      await ctx.store.popMessage(userId, sessionId);
      const popped = present(await ctx.store.getSession(userId, sessionId), 'the session');
      expect(popped.updatedAt.getTime()).toBeGreaterThan(appended.updatedAt.getTime());
      await sleep(3);
      expect(await ctx.store.popMessage(userId, sessionId)).toBeNull();
      expect(await ctx.store.getSession(userId, sessionId)).toEqual(popped);
    });

    it('returns null for a missing session and does not create it', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await ctx.store.popMessage(userId, sessionId)).toBeNull();
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      expect((await ctx.store.listSessions(userId)).items).toEqual([]);
    });

    it('pops across gaps and only from the named session', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      await ctx.store.append(userId, 'neighbour', chatMessages(2, 'n'));
      await ctx.store.popMessage(userId, sessionId);
      await ctx.store.append(userId, sessionId, chatMessages(1, 'm', 3));
      expect((await ctx.store.popMessage(userId, sessionId))?.seq).toBe(3);
      expect((await ctx.store.popMessage(userId, sessionId))?.seq).toBe(1);
      expect(seqsOf(await ctx.store.getMessages(userId, 'neighbour'))).toEqual([1, 2]);
    });

    it('never returns the same message to concurrent pops on one client', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(6));
      const results = await Promise.all(Array.from({ length: 9 }, () => ctx.store.popMessage(userId, sessionId)));
      const seqs = results.filter((r) => r !== null).map((r) => r.seq);
      expect(seqs.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(results.filter((r) => r === null)).toHaveLength(3);
    });
  });
}
