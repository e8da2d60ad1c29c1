import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, present, sleep } from '../helpers.js';

/** clearSession: messages go; the session, metadata, lastSeq and idempotency keys stay. */
export function clearBehaviour(ctx: SuiteContext): void {
  describe('clearSession', () => {
    it('removes every message and keeps metadata and lastSeq; bumps updatedAt', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { title: 'kept' } });
      await ctx.store.append(userId, sessionId, chatMessages(4));
      const before = present(await ctx.store.getSession(userId, sessionId), 'the session');
      await sleep(3);
      await expect(ctx.store.clearSession(userId, sessionId)).resolves.toBeUndefined();
      const after = present(await ctx.store.getSession(userId, sessionId), 'the session');
      expect(after).toMatchObject({ metadata: { title: 'kept' }, messageCount: 0, lastSeq: 4, messages: [] });
      expect(after.createdAt.getTime()).toBe(before.createdAt.getTime());
      expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
      expect(await ctx.store.getMessages(userId, sessionId)).toEqual([]);
      expect(await ctx.store.popMessage(userId, sessionId)).toBeNull();
      expect((await ctx.store.listSessions(userId)).items.map((i) => i.id)).toEqual([sessionId]);
    });

    it('continues numbering after the cleared messages', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      await ctx.store.clearSession(userId, sessionId);
      await ctx.store.clearSession(userId, sessionId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toEqual({ firstSeq: 3, lastSeq: 3, duplicate: false });
    });

    it('is a no-op for a missing session and does not create it', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expect(ctx.store.clearSession(userId, sessionId)).resolves.toBeUndefined();
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });

    it('clears only the named session', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const other = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      await ctx.store.append(userId, 'sibling', chatMessages(2));
      await ctx.store.append(other.userId, sessionId, chatMessages(2));
      await ctx.store.clearSession(userId, sessionId);
      expect(await ctx.store.getMessages(userId, 'sibling')).toHaveLength(2);
      expect(await ctx.store.getMessages(other.userId, sessionId)).toHaveLength(2);
    });
  });
}
