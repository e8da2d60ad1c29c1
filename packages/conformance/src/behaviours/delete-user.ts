import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, collect } from '../helpers.js';

/** deleteUser: every session of the user goes, the count is right, other users stay. */
export function deleteUserBehaviour(ctx: SuiteContext): void {
  describe('deleteUser', () => {
    it('deletes every session of the user and returns how many', async () => {
      const { userId } = ctx.freshIds();
      const neighbour = ctx.freshIds();
      await ctx.store.append(userId, 'a', chatMessages(3), { idempotencyKey: 'k' });
      await ctx.store.createSession(userId, { sessionId: 'b', metadata: { x: 1 } });
      await ctx.store.append(userId, 'c', chatMessages(1));
      await ctx.store.append(neighbour.userId, 'a', chatMessages(2));
      expect(await ctx.store.deleteUser(userId)).toBe(3);
      for (const id of ['a', 'b', 'c']) {
        expect(await ctx.store.getSession(userId, id)).toBeNull();
        expect(await ctx.store.getMessages(userId, id)).toEqual([]);
      }
      expect(await ctx.store.listSessions(userId)).toEqual({ items: [], nextCursor: null });
      expect(await collect(ctx.store.listUsers())).not.toContain(userId);
      expect(await ctx.store.getSession(neighbour.userId, 'a')).toMatchObject({ messageCount: 2 });
    });

    it('returns 0 for an unknown user and for a second call', async () => {
      const { userId } = ctx.freshIds();
      expect(await ctx.store.deleteUser(userId)).toBe(0);
      await ctx.store.createSession(userId);
      expect(await ctx.store.deleteUser(` ${userId} `)).toBe(1);
      expect(await ctx.store.deleteUser(userId)).toBe(0);
    });

    it('leaves nothing behind: a deleted user starts afresh', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(4), { idempotencyKey: 'k' });
      await ctx.store.deleteUser(userId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'k' })).toEqual({
        firstSeq: 1,
        lastSeq: 1,
        duplicate: false,
      });
      expect(await ctx.store.getSession(userId, sessionId)).toMatchObject({ metadata: {}, messageCount: 1, lastSeq: 1 });
    });

    it('deletes many sessions (more than one listing page)', async () => {
      const { userId } = ctx.freshIds();
      await Promise.all(Array.from({ length: 60 }, (_, i) => ctx.store.append(userId, `s${i}`, chatMessages(1))));
      expect(await ctx.store.deleteUser(userId)).toBe(60);
      expect((await ctx.store.listSessions(userId)).items).toEqual([]);
    });
  });
}
