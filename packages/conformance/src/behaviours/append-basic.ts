import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectTimeBetween, jsonForm, present, seqsOf, sleep } from '../helpers.js';

/** append: seqs, creation, `create: false`, counters, timestamps, seqs never reused. */
export function appendBasicBehaviour(ctx: SuiteContext): void {
  describe('append', () => {
    it('creates the session on first append and numbers messages 1, 2, 3...', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const three = chatMessages(3);
      const [a, b, c] = [present(three[0]), present(three[1]), present(three[2])];
      expect(await ctx.store.append(userId, sessionId, a)).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
      expect(await ctx.store.append(userId, sessionId, b)).toEqual({ firstSeq: 2, lastSeq: 2, duplicate: false });
      expect(await ctx.store.append(userId, sessionId, [c])).toEqual({ firstSeq: 3, lastSeq: 3, duplicate: false });
      const session = present(await ctx.store.getSession(userId, sessionId), 'the session');
      expect(session).toMatchObject({ userId, id: sessionId, metadata: {}, messageCount: 3, lastSeq: 3, expiresAt: null });
      expect(session.messages.map((m) => m.message)).toEqual(jsonForm([a, b, c]));
      expect(seqsOf(session.messages)).toEqual([1, 2, 3]);
    });

    it('appends a batch with contiguous seqs and one createdAt, and bumps updatedAt', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const created = await ctx.store.createSession(userId, { sessionId, metadata: { keep: 1 } });
      await sleep(3);
      const before = Date.now();
      const result = await ctx.store.append(userId, sessionId, chatMessages(4));
      const after = Date.now();
      expect(result).toEqual({ firstSeq: 1, lastSeq: 4, duplicate: false });
      const session = present(await ctx.store.getSession(userId, sessionId), 'the session');
      expect(session).toMatchObject({ metadata: { keep: 1 }, messageCount: 4, lastSeq: 4 });
      const times = new Set(session.messages.map((m) => m.createdAt.getTime()));
      expect(times.size).toBe(1);
      expectTimeBetween(present(session.messages[0]).createdAt, before, after);
      expectTimeBetween(session.updatedAt, before, after);
      expect(session.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
      expect(session.createdAt.getTime()).toBe(created.createdAt.getTime());
    });

    it('with create: false is NOT_FOUND on a missing session and creates nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { create: false }), 'NOT_FOUND');
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(2), { create: false, idempotencyKey: 'k' }), 'NOT_FOUND');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      expect((await ctx.store.listSessions(userId)).items).toEqual([]);
      // The key of the rejected call was not recorded.
      await ctx.store.createSession(userId, { sessionId });
      const ok = await ctx.store.append(userId, sessionId, chatMessages(1), { create: false, idempotencyKey: 'k' });
      expect(ok).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
    });

    it('never reuses a seq after pop or clear', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      await ctx.store.popMessage(userId, sessionId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toMatchObject({ firstSeq: 4, lastSeq: 4 });
      await ctx.store.clearSession(userId, sessionId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(2))).toMatchObject({ firstSeq: 5, lastSeq: 6 });
      const session = present(await ctx.store.getSession(userId, sessionId), 'the session');
      expect(seqsOf(session.messages)).toEqual([5, 6]);
      expect(session).toMatchObject({ messageCount: 2, lastSeq: 6 });
    });

    it('keeps sessions apart: appends to one session do not touch another of the same user', async () => {
      const { userId } = ctx.freshIds();
      await ctx.store.append(userId, 'one', chatMessages(2, 'one'));
      await ctx.store.append(userId, 'two', chatMessages(1, 'two'));
      expect(await ctx.store.append(userId, 'one', chatMessages(1, 'one', 3))).toMatchObject({ firstSeq: 3 });
      expect((await ctx.store.getMessages(userId, 'two')).map((m) => m.message)).toEqual(chatMessages(1, 'two'));
      expect(await ctx.store.getSession(userId, 'two')).toMatchObject({ messageCount: 1, lastSeq: 1 });
    });

    it('drops properties whose value is undefined, as JSON does', async () => {
      const { userId, sessionId } = ctx.freshIds();
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      const message = { type: 'message', role: 'user', content: 'hi', providerData: undefined, nested: { gone: undefined, kept: 1 } } as unknown as JsonObject;
      await ctx.store.append(userId, sessionId, message);
      const [stored] = await ctx.store.getMessages(userId, sessionId);
      expect(stored?.message).toEqual({ type: 'message', role: 'user', content: 'hi', nested: { kept: 1 } });
      expect(Object.keys(present(stored).message)).not.toContain('providerData');
    });
  });
}
