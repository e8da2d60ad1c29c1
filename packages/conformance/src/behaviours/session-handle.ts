import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, collect, expectThrowsCode, jsonForm, present, seqsOf } from '../helpers.js';

/** `store.session(userId, sessionId)`: the per-session calls with the two ids bound once. */
export function sessionHandleBehaviour(ctx: SuiteContext): void {
  describe('session handle (store.session)', () => {
    it('does what the store calls do, on that session only', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const session = ctx.store.session(userId, sessionId);
      expect(session.userId).toBe(userId);
      expect(session.sessionId).toBe(sessionId);
      expect(await session.info()).toBeNull();
      expect(await session.get()).toBeNull();
      const created = await session.getOrCreate({ metadata: { title: 'handle' } });
      expect(created).toMatchObject({ userId, id: sessionId, created: true, messages: [], metadata: { title: 'handle' } });

      expect(await session.append(chatMessages(4))).toEqual({ firstSeq: 1, lastSeq: 4, duplicate: false });
      expect(await session.append(chatMessages(1, 'k'), { idempotencyKey: 'k' })).toEqual({ firstSeq: 5, lastSeq: 5, duplicate: false });
      expect(await session.append(chatMessages(1, 'k'), { idempotencyKey: 'k' })).toMatchObject({ firstSeq: 5, duplicate: true });
      expect(await session.messages()).toEqual(await ctx.store.getMessages(userId, sessionId));
      expect(seqsOf(await session.messages({ limit: 2 }))).toEqual([4, 5]);
      expect(seqsOf(await collect(session.history({ afterSeq: 3 })))).toEqual([4, 5]);
      expect(seqsOf(present(await session.get({ limit: 1 })).messages)).toEqual([5]);

      const info = present(await session.info(), 'the info');
      expect(info).toMatchObject({ userId, id: sessionId, messageCount: 5, lastSeq: 5, metadata: { title: 'handle' } });
      expect(info).not.toHaveProperty('messages');

      expect(await session.pop()).toMatchObject({ seq: 5, message: jsonForm(chatMessages(1, 'k')[0]) });
      expect(await session.replaceTail({ afterSeq: 3, messages: chatMessages(1, 'r') })).toEqual({ removed: 1, firstSeq: 6, lastSeq: 6, duplicate: false });
      expect(await session.trim({ beforeSeq: 2 })).toBe(1);
      expect(await session.rewrite([{ seq: 2, message: { v: 2 } }, { seq: 1, message: { v: 1 } }])).toEqual({ rewritten: 1, missing: [1] });
      expect((await ctx.store.getMessages(userId, sessionId)).map((m) => ({ seq: m.seq, message: m.message }))).toEqual([
        { seq: 2, message: { v: 2 } },
        { seq: 3, message: jsonForm(chatMessages(4)[2]) },
        { seq: 6, message: jsonForm(chatMessages(1, 'r')[0]) },
      ]);

      expect(await session.update({ metadata: { title: null, tag: 'x' } })).toMatchObject({ metadata: { tag: 'x' } });
      const fork = await session.fork({ newSessionId: `${sessionId}-fork`, uptoSeq: 3 });
      expect(fork).toMatchObject({ userId, id: `${sessionId}-fork`, lastSeq: 3, messageCount: 2 });
      await session.clear();
      expect(await session.info()).toMatchObject({ messageCount: 0, lastSeq: 6 });
      expect(await ctx.store.getSession(userId, `${sessionId}-fork`, { limit: 0 })).toMatchObject({ messageCount: 2 });
      expect(await session.delete()).toBe(true);
      expect(await session.delete()).toBe(false);
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      expect(await ctx.store.getSession(userId, `${sessionId}-fork`, { limit: 0 })).toMatchObject({ messageCount: 2 });
    });

    it('keeps two users apart and lets two handles on the same ids see the same session', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const other = `${userId}-other`;
      const mine = ctx.store.session(userId, sessionId);
      const again = ctx.store.session(userId, sessionId);
      const theirs = ctx.store.session(other, sessionId);
      await mine.append(chatMessages(2));
      expect(seqsOf(await again.messages())).toEqual([1, 2]);
      expect(await theirs.messages()).toEqual([]);
      expect(await theirs.info()).toBeNull();
      await theirs.append(chatMessages(1, 'theirs'));
      expect(await mine.info()).toMatchObject({ messageCount: 2 });
    });

    it('checks (and trims) the ids when the handle is made, before any call', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const trimmed = ctx.store.session(`  ${userId} `, ` ${sessionId}\t`);
      expect(trimmed.userId).toBe(userId);
      expect(trimmed.sessionId).toBe(sessionId);
      for (const [u, s] of [
        ['', sessionId],
        [userId, '   '],
        [`${userId}\u0000x`, sessionId],
        [userId, 'x'.repeat(10_000)],
        [42, sessionId],
        [userId, undefined],
      ] as Array<[string, string]>) {
        await expectThrowsCode(() => ctx.store.session(u, s), 'INVALID_ARGUMENT');
      }
    });
  });
}
