import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectExpiresAfterWrite, expectTimeBetween, expectUnchanged, seqsOf, sleep } from '../helpers.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** forkSession: copied messages and seqs, uptoSeq clamping, metadata, TTL, errors, independence. */
export function forkBehaviour(ctx: SuiteContext): void {
  describe('forkSession', () => {
    it('copies every message with its seq and createdAt, the metadata plus forkedFrom, and lastSeq', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { title: 'source' } });
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const source = await ctx.store.getSession(userId, sessionId);
      await sleep(3);
      const before = Date.now();
      const fork = await ctx.store.forkSession(userId, sessionId, { newSessionId: 'fork' });
      const after = Date.now();
      expect(fork).toMatchObject({
        userId,
        id: 'fork',
        metadata: { title: 'source', forkedFrom: { sessionId, seq: 3 } },
        messageCount: 3,
        lastSeq: 3,
        expiresAt: null,
      });
      expect(fork).not.toHaveProperty('messages');
      expectTimeBetween(fork.createdAt, before, after);
      const read = await ctx.store.getSession(userId, 'fork');
      expect(read?.messages).toEqual(source?.messages);
      expect(read?.metadata).toEqual(fork.metadata);
      await expectUnchanged(ctx.store, userId, sessionId, source);
    });

    it('copies only messages up to uptoSeq, clamps uptoSeq to lastSeq, and keeps gaps', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(5));
      await ctx.store.popMessage(userId, sessionId);
      const upto3 = await ctx.store.forkSession(userId, sessionId, { newSessionId: 'upto3', uptoSeq: 3 });
      expect(upto3).toMatchObject({ lastSeq: 3, messageCount: 3, metadata: { forkedFrom: { sessionId, seq: 3 } } });
      expect(seqsOf(await ctx.store.getMessages(userId, 'upto3'))).toEqual([1, 2, 3]);
      const clamped = await ctx.store.forkSession(userId, sessionId, { newSessionId: 'clamped', uptoSeq: 99 });
      // Seq 5 was popped: the fork holds 1..4 but its lastSeq is the source's 5.
      expect(clamped).toMatchObject({ lastSeq: 5, messageCount: 4, metadata: { forkedFrom: { sessionId, seq: 5 } } });
      const zero = await ctx.store.forkSession(userId, sessionId, { newSessionId: 'zero', uptoSeq: 0 });
      expect(zero).toMatchObject({ lastSeq: 0, messageCount: 0 });
      expect(await ctx.store.append(userId, 'upto3', chatMessages(1))).toMatchObject({ firstSeq: 4 });
      expect(await ctx.store.append(userId, 'clamped', chatMessages(1))).toMatchObject({ firstSeq: 6 });
      expect(await ctx.store.append(userId, 'zero', chatMessages(1))).toMatchObject({ firstSeq: 1 });
    });

    it('merges the metadata option over the copied metadata; null removes a key', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { a: 1, b: 2 } });
      const fork = await ctx.store.forkSession(userId, sessionId, { newSessionId: 'f', metadata: { b: null, c: 3 } });
      expect(fork.metadata).toEqual({ a: 1, c: 3, forkedFrom: { sessionId, seq: 0 } });
    });

    it('generates an id when none is given, and inherits the source TTL', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, ttlMs: 90_000 });
      const before = Date.now();
      const fork = await ctx.store.forkSession(userId, sessionId);
      const after = Date.now();
      expect(fork.id).toMatch(UUID_V4);
      expectExpiresAfterWrite(fork.expiresAt, before, after, 90_000, ctx.capabilities.ttlGranularityMs);
      // The inherited TTL slides on the fork's own writes.
      const appendedAt = Date.now();
      await ctx.store.append(userId, fork.id, chatMessages(1));
      const read = await ctx.store.getSession(userId, fork.id);
      expectExpiresAfterWrite(read?.expiresAt, appendedAt, Date.now(), 90_000, ctx.capabilities.ttlGranularityMs);
    });

    it('is NOT_FOUND when the source is missing and ALREADY_EXISTS when the target exists', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.forkSession(userId, sessionId, { newSessionId: 'x' }), 'NOT_FOUND');
      expect(await ctx.store.getSession(userId, 'x')).toBeNull();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      await ctx.store.append(userId, 'target', chatMessages(1, 'target'));
      const target = await ctx.store.getSession(userId, 'target');
      await expectCode(ctx.store.forkSession(userId, sessionId, { newSessionId: 'target' }), 'ALREADY_EXISTS');
      await expectCode(ctx.store.forkSession(userId, sessionId, { newSessionId: sessionId }), 'ALREADY_EXISTS');
      await expectUnchanged(ctx.store, userId, 'target', target);
    });

    it('makes an independent session: later writes to one do not reach the other', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      await ctx.store.forkSession(userId, sessionId, { newSessionId: 'f' });
      await ctx.store.append(userId, 'f', chatMessages(1, 'fork'));
      await ctx.store.popMessage(userId, sessionId);
      await ctx.store.updateSession(userId, sessionId, { metadata: { source: true } });
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual([1]);
      expect(seqsOf(await ctx.store.getMessages(userId, 'f'))).toEqual([1, 2, 3]);
      expect((await ctx.store.getSession(userId, 'f'))?.metadata).not.toHaveProperty('source');
      await ctx.store.deleteSession(userId, sessionId);
      expect(seqsOf(await ctx.store.getMessages(userId, 'f'))).toEqual([1, 2, 3]);
    });

    it('forks only within the same user', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const other = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      await expectCode(ctx.store.forkSession(other.userId, sessionId, { newSessionId: 'stolen' }), 'NOT_FOUND');
      expect(await ctx.store.getSession(other.userId, 'stolen')).toBeNull();
    });
  });
}
