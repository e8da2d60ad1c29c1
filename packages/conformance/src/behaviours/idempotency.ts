import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged, seqsOf } from '../helpers.js';

/** Rule 4: a retried append with an applied `idempotencyKey` returns the first result and writes nothing. */
export function idempotencyBehaviour(ctx: SuiteContext): void {
  describe('idempotent retry (idempotencyKey)', () => {
    it('returns the first result with duplicate: true and writes nothing, whatever the retry carries', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1, 'head'));
      const first = await ctx.store.append(userId, sessionId, chatMessages(3), { idempotencyKey: 'turn-1' });
      expect(first).toEqual({ firstSeq: 2, lastSeq: 4, duplicate: false });
      await ctx.store.append(userId, sessionId, chatMessages(1, 'later'));
      const before = await ctx.store.getSession(userId, sessionId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(3), { idempotencyKey: 'turn-1' })).toEqual({
        ...first,
        duplicate: true,
      });
      // A retry with other content is still the same operation: nothing is written.
      expect(await ctx.store.append(userId, sessionId, chatMessages(1, 'other'), { idempotencyKey: 'turn-1' })).toEqual({
        ...first,
        duplicate: true,
      });
      await expectUnchanged(ctx.store, userId, sessionId, before);
    });

    it('answers a duplicate before checking expectedLastSeq or create: false', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const first = await ctx.store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'k', expectedLastSeq: 0 });
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const retry = await ctx.store.append(userId, sessionId, chatMessages(2), {
        idempotencyKey: 'k',
        expectedLastSeq: 0,
        create: false,
      });
      expect(retry).toEqual({ ...first, duplicate: true });
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 3, lastSeq: 3 });
    });

    it('does not record the key of a rejected append', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'k', expectedLastSeq: 7 }), 'CONFLICT');
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'k' })).toEqual({
        firstSeq: 2,
        lastSeq: 2,
        duplicate: false,
      });
    });

    it('keeps keys through clear and pop', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const first = await ctx.store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'a' });
      await ctx.store.popMessage(userId, sessionId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'a' })).toEqual({ ...first, duplicate: true });
      await ctx.store.clearSession(userId, sessionId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'a' })).toEqual({ ...first, duplicate: true });
      expect(await ctx.store.getSession(userId, sessionId)).toMatchObject({ messageCount: 0, lastSeq: 2, messages: [] });
    });

    it('scopes keys to one session: other sessions, other users and forks do not share them', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const other = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'same' });
      expect(await ctx.store.append(userId, 'second', chatMessages(1), { idempotencyKey: 'same' })).toMatchObject({ duplicate: false });
      expect(await ctx.store.append(other.userId, sessionId, chatMessages(1), { idempotencyKey: 'same' })).toMatchObject({ duplicate: false });
      await ctx.store.forkSession(userId, sessionId, { newSessionId: 'fork' });
      expect(await ctx.store.append(userId, 'fork', chatMessages(1), { idempotencyKey: 'same' })).toEqual({
        firstSeq: 3,
        lastSeq: 3,
        duplicate: false,
      });
      expect(seqsOf(await ctx.store.getMessages(userId, 'fork'))).toEqual([1, 2, 3]);
    });

    it('treats keys as exact strings: case and whitespace matter', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'Key' });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'key' })).toMatchObject({ duplicate: false });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: ' Key' })).toMatchObject({ duplicate: false });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'Key' })).toMatchObject({ duplicate: true });
    });

    it('rejects an invalid key with INVALID_ARGUMENT and writes nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      for (const idempotencyKey of ['', 'x'.repeat(513), 'bad\u0000key']) {
        await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey }), 'INVALID_ARGUMENT');
      }
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });
  });
}
