import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, collect, seqsOf } from '../helpers.js';

/**
 * Characters that mean something to some backend: key separators, glob and LIKE patterns,
 * Redis Cluster hash tags, SQL quoting, path segments, regex metacharacters.
 */
export const HOSTILE_FRAGMENTS = ['*', '?', '[ab]', '%', '_', ':', '{x}', "'", '"', ';--', '\\', '/', '..', '$', '^', '|', '.*', ' x', '#', 'ü🙂'];

/** Rule 10 and rule 7's "stored safely": nothing one user can pass reaches another user's data. */
export function isolationBehaviour(ctx: SuiteContext): void {
  describe('isolation', () => {
    it('keeps two users with the same session id apart in every call', async () => {
      const alice = ctx.freshId('alice');
      const bob = ctx.freshId('bob');
      await ctx.store.append(alice, 'chat', chatMessages(3, 'alice'), { idempotencyKey: 'k' });
      await ctx.store.createSession(bob, { sessionId: 'chat', metadata: { owner: 'bob' } });
      expect(await ctx.store.append(bob, 'chat', chatMessages(1, 'bob'), { idempotencyKey: 'k' })).toEqual({
        firstSeq: 1,
        lastSeq: 1,
        duplicate: false,
      });
      expect(await ctx.store.popMessage(bob, 'chat')).toMatchObject({ message: chatMessages(1, 'bob')[0] });
      await ctx.store.clearSession(bob, 'chat');
      await ctx.store.updateSession(bob, 'chat', { metadata: { touched: true } });
      expect(await ctx.store.deleteUser(bob)).toBe(1);
      const session = await ctx.store.getSession(alice, 'chat');
      expect(session).toMatchObject({ metadata: {}, messageCount: 3, lastSeq: 3 });
      expect(session?.messages.map((m) => m.message)).toEqual(chatMessages(3, 'alice'));
    });

    it('stores ids with hostile characters safely: no pattern, prefix or separator reaches a neighbour', async () => {
      const base = ctx.freshId('hostile');
      const users = HOSTILE_FRAGMENTS.map((fragment) => `${base}${fragment}`);
      const plain = `${base}plain`;
      await ctx.store.append(plain, 'victim', chatMessages(2, 'victim'));
      await ctx.store.append(base, 'victim', chatMessages(1, 'prefix'));
      // Users in parallel (they are independent), each user's sessions one after another.
      await Promise.all(
        users.map(async (user) => {
          for (const fragment of HOSTILE_FRAGMENTS.slice(0, 6)) {
            await ctx.store.append(user, `s${fragment}`, chatMessages(1, `${user}|${fragment}`));
          }
        }),
      );
      await Promise.all(
        users.map(async (user) => {
          const listed = (await ctx.store.listSessions(user)).items;
          expect(listed.map((i) => i.userId).every((id) => id === user)).toBe(true);
          expect(listed.map((i) => i.id).sort()).toEqual(HOSTILE_FRAGMENTS.slice(0, 6).map((f) => `s${f}`).sort());
          const [message] = await ctx.store.getMessages(user, `s*`);
          expect(message?.message).toEqual(chatMessages(1, `${user}|*`)[0]);
        }),
      );
      // Patterns in a user id match nothing but that exact user.
      expect(await ctx.store.deleteUser(`${base}*`)).toBe(6);
      expect(await ctx.store.deleteUser(`${base}%`)).toBe(6);
      expect(await ctx.store.deleteSession(`${base}?`, 's*')).toBe(true);
      expect(await ctx.store.getSession(`${base}?`, 's?')).not.toBeNull();
      expect(seqsOf(await ctx.store.getMessages(plain, 'victim'))).toEqual([1, 2]);
      expect(seqsOf(await ctx.store.getMessages(base, 'victim'))).toEqual([1]);
      expect((await ctx.store.listSessions(`${base}_`)).items).toHaveLength(6);
      expect((await ctx.store.listSessions(`${base}[ab]`)).items).toHaveLength(6);
      const everyone = await collect(ctx.store.listUsers());
      expect(everyone).toEqual(expect.arrayContaining([plain, base, `${base}_`, `${base}:`, `${base}ü🙂`]));
      expect(everyone).not.toContain(`${base}*`);
    });

    it('never confuses a separator in a user id with one in a session id', async () => {
      const base = ctx.freshId('sep');
      // Naively joined with ":", "/" or "|", both pairs would give the same key.
      const pairs: Array<[string, string]> = [
        [`${base}:a`, 'b'],
        [base, 'a:b'],
        [`${base}/a`, 'b'],
        [base, 'a/b'],
        [`${base}|a`, 'b'],
        [base, 'a|b'],
        [`${base}{a}`, 'b'],
        [base, '{a}b'],
      ];
      for (const [user, session] of pairs) await ctx.store.append(user, session, chatMessages(1, `${user}#${session}`));
      for (const [user, session] of pairs) {
        const messages = await ctx.store.getMessages(user, session);
        expect(messages.map((m) => m.message)).toEqual(chatMessages(1, `${user}#${session}`));
        expect(await ctx.store.getSession(user, session, { limit: 0 })).toMatchObject({ messageCount: 1, lastSeq: 1 });
      }
      expect((await ctx.store.listSessions(base)).items.map((i) => i.id).sort()).toEqual(['a/b', 'a:b', 'a|b', '{a}b']);
      expect(await ctx.store.deleteUser(`${base}:a`)).toBe(1);
      expect(await ctx.store.getSession(base, 'a:b')).not.toBeNull();
    });

    it("never lists another user's sessions through a cursor taken from their listing", async () => {
      const alice = ctx.freshId('alice');
      const bob = ctx.freshId('bob');
      await Promise.all([0, 1, 2, 3].map((i) => ctx.store.createSession(alice, { sessionId: `a${i}` })));
      await Promise.all([0, 1, 2, 3].map((i) => ctx.store.createSession(bob, { sessionId: `b${i}` })));
      const alicePage = await ctx.store.listSessions(alice, { limit: 1 });
      expect(alicePage.nextCursor).not.toBeNull();
      const bobPage = await ctx.store.listSessions(bob, { limit: 1000, cursor: alicePage.nextCursor });
      for (const item of bobPage.items) expect(item.userId).toBe(bob);
      expect(bobPage.items.every((item) => item.id.startsWith('b'))).toBe(true);
    });

    it('treats ids as exact strings: case, inner whitespace and unicode normalisation matter', async () => {
      const base = ctx.freshId('exact');
      const variants = [`${base}-Chat`, `${base}-chat`, `${base}-ch at`, `${base}-caf\u00e9`, `${base}-cafe\u0301`];
      for (const [i, id] of variants.entries()) await ctx.store.append(base, id, chatMessages(i + 1));
      for (const [i, id] of variants.entries()) {
        expect(await ctx.store.getSession(base, id, { limit: 0 })).toMatchObject({ id, messageCount: i + 1 });
      }
      expect((await ctx.store.listSessions(base)).items).toHaveLength(variants.length);
    });
  });
}
