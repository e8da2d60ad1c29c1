import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, collect } from '../helpers.js';

/** listUsers: every user with a live session, exactly once, ids exactly as stored. */
export function listUsersBehaviour(ctx: SuiteContext): void {
  describe('listUsers', () => {
    it('yields each user with at least one session exactly once, and no deleted user', async () => {
      const many = ctx.freshId('many');
      const empty = ctx.freshId('empty-session');
      const gone = ctx.freshId('gone');
      const odd = `${ctx.freshId('odd')} :*?[]{}'"%_\\/ü🙂`;
      await Promise.all([
        ctx.store.append(many, 'a', chatMessages(2)),
        ctx.store.append(many, 'b', chatMessages(1)),
        ctx.store.createSession(many, { sessionId: 'c' }),
        ctx.store.createSession(empty, { sessionId: 'only' }),
        ctx.store.append(gone, 'a', chatMessages(1)),
        ctx.store.append(odd, 'a', chatMessages(1)),
      ]);
      await ctx.store.deleteSession(gone, 'a');
      const users = await collect(ctx.store.listUsers());
      // The namespace is shared with other tests: check ours, and that nothing repeats.
      expect(new Set(users).size).toBe(users.length);
      expect(users.filter((u) => u === many)).toHaveLength(1);
      expect(users).toContain(empty);
      expect(users).toContain(odd);
      expect(users).not.toContain(gone);
      for (const user of users) expect(typeof user).toBe('string');
    });

    it('can be iterated twice and stopped early', async () => {
      const { userId } = ctx.freshIds();
      await ctx.store.createSession(userId);
      expect(await collect(ctx.store.listUsers())).toContain(userId);
      for await (const first of ctx.store.listUsers()) {
        expect(typeof first).toBe('string');
        break;
      }
      expect(await collect(ctx.store.listUsers())).toContain(userId);
    });
  });
}
