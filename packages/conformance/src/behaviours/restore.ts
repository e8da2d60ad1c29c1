import { describe, expect, it } from 'vitest';
import type { JsonObject, SessionSnapshot, StoredMessage } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged, seqsOf } from '../helpers.js';

const HOUR = 3_600_000;

/** A snapshot of a session last written an hour ago that expires in an hour. */
function snapshot(id: string, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  const now = Date.now();
  return {
    id,
    metadata: { title: 'imported', n: 1 },
    createdAt: new Date(now - 5 * HOUR),
    updatedAt: new Date(now - HOUR),
    expiresAt: new Date(now + HOUR),
    lastSeq: 10,
    ...overrides,
  };
}

/** Stored messages with the given seqs, created a few hours ago. */
function restored(seqs: number[]): StoredMessage<JsonObject>[] {
  return seqs.map((seq) => ({
    seq,
    createdAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, seq)),
    message: { role: 'user', content: `restored-${seq}` },
  }));
}

/** restoreSession / restoreMessages: exact copies for import, with their checks. */
export function restoreBehaviour(ctx: SuiteContext): void {
  describe('restoreSession and restoreMessages', () => {
    it('restores a session exactly as the snapshot describes it, with no messages', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const snap = snapshot(sessionId);
      await expect(ctx.store.restoreSession(userId, snap)).resolves.toBeUndefined();
      expect(await ctx.store.getSession(userId, sessionId)).toEqual({
        userId,
        id: sessionId,
        metadata: snap.metadata,
        createdAt: snap.createdAt,
        updatedAt: snap.updatedAt,
        expiresAt: snap.expiresAt,
        messageCount: 0,
        lastSeq: 10,
        messages: [],
      });
      const listed = (await ctx.store.listSessions(userId)).items;
      expect(listed.map((i) => i.updatedAt.getTime())).toEqual([snap.updatedAt.getTime()]);
    });

    it('writes messages with their own seqs and createdAt, touching neither lastSeq, updatedAt nor expiry', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.restoreSession(userId, snapshot(sessionId));
      const before = await ctx.store.getSession(userId, sessionId);
      await ctx.store.restoreMessages(userId, sessionId, restored([2, 3, 7]));
      await ctx.store.restoreMessages(userId, sessionId, restored([9]));
      await ctx.store.restoreMessages(userId, sessionId, []);
      const after = await ctx.store.getSession(userId, sessionId);
      expect(after?.messages).toEqual(restored([2, 3, 7, 9]));
      expect(after).toMatchObject({ messageCount: 4, lastSeq: 10 });
      expect(after?.updatedAt).toEqual(before?.updatedAt);
      expect(after?.expiresAt).toEqual(before?.expiresAt);
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId, { afterSeq: 3, limit: 1, from: 'start' }))).toEqual([7]);
      // New appends continue after the restored lastSeq.
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toMatchObject({ firstSeq: 11, lastSeq: 11 });
    });

    it('rejects an existing session with ALREADY_EXISTS and an expired snapshot with INVALID_ARGUMENT', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const before = await ctx.store.getSession(userId, sessionId);
      await expectCode(ctx.store.restoreSession(userId, snapshot(sessionId)), 'ALREADY_EXISTS');
      await expectUnchanged(ctx.store, userId, sessionId, before);
      const expired = ctx.freshIds();
      await expectCode(
        ctx.store.restoreSession(expired.userId, snapshot(expired.sessionId, { expiresAt: new Date(Date.now() - 1000) })),
        'INVALID_ARGUMENT',
      );
      expect(await ctx.store.getSession(expired.userId, expired.sessionId)).toBeNull();
    });

    it('restores a snapshot without expiry and with an empty metadata object', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.restoreSession(userId, snapshot(sessionId, { expiresAt: null, metadata: {}, lastSeq: 0 }));
      expect(await ctx.store.getSession(userId, sessionId)).toMatchObject({ expiresAt: null, metadata: {}, lastSeq: 0 });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toMatchObject({ firstSeq: 1 });
    });

    it('rejects out-of-order, out-of-bounds or invalid messages with INVALID_ARGUMENT and writes none of the batch', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.restoreSession(userId, snapshot(sessionId));
      await ctx.store.restoreMessages(userId, sessionId, restored([4]));
      const before = await ctx.store.getSession(userId, sessionId);
      const bad: StoredMessage<JsonObject>[][] = [
        restored([5, 6, 6]),
        restored([6, 5]),
        restored([3]),
        restored([4]),
        restored([5, 11]),
        restored([0]),
        // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
        [...restored([5]), { seq: 6, createdAt: new Date(), message: { bad: () => 1 } as unknown as JsonObject }],
        [{ seq: 5, createdAt: 'yesterday' as unknown as Date, message: { ok: true } }],
      ];
      for (const batch of bad) {
        await expectCode(ctx.store.restoreMessages(userId, sessionId, batch), 'INVALID_ARGUMENT');
      }
      await expectUnchanged(ctx.store, userId, sessionId, before);
    });

    it('is NOT_FOUND for restoreMessages into a missing session', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.restoreMessages(userId, sessionId, restored([1])), 'NOT_FOUND');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });
  });
}
