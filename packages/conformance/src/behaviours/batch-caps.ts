import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged, range } from '../helpers.js';
import { messageOfBytes } from './limits.js';

/** The caps of the store these tests open: small, so a test stays small. */
const MAX_MESSAGES = 5;
const MESSAGE_BYTES = 100;
const MAX_BYTES = 3 * MESSAGE_BYTES;

/**
 * Bounded work per call: one write carries at most `maxBatchMessages` messages and
 * `maxBatchBytes` bytes (UTF-8 of the messages' JSON text); more is TOO_LARGE with nothing written.
 */
export function batchCapsBehaviour(ctx: SuiteContext): void {
  describe('batch caps (maxBatchMessages, maxBatchBytes)', () => {
    let byCount: SessionStore<JsonObject>;
    let byBytes: SessionStore<JsonObject>;
    beforeAll(async () => {
      byCount = await ctx.openStore({ maxBatchMessages: MAX_MESSAGES });
      byBytes = await ctx.openStore({ maxBatchBytes: MAX_BYTES });
    });
    afterAll(async () => {
      await Promise.all([ctx.closeStore(byCount), ctx.closeStore(byBytes)]);
    });

    it('an append of more than maxBatchMessages is TOO_LARGE and writes nothing; exactly the cap works', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const error = await expectCode(byCount.append(userId, sessionId, chatMessages(MAX_MESSAGES + 1)), 'TOO_LARGE');
      expect(error.retryable).toBe(false);
      expect(await byCount.getSession(userId, sessionId), 'the session is not created').toBeNull();
      expect(await byCount.append(userId, sessionId, chatMessages(MAX_MESSAGES))).toEqual({ firstSeq: 1, lastSeq: MAX_MESSAGES, duplicate: false });
      const before = await byCount.getSession(userId, sessionId);
      await expectCode(byCount.append(userId, sessionId, chatMessages(MAX_MESSAGES + 1), { idempotencyKey: 'k' }), 'TOO_LARGE');
      await expectUnchanged(byCount, userId, sessionId, before);
      // The key of the rejected call was not recorded.
      expect(await byCount.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'k' })).toMatchObject({ duplicate: false });
    });

    it('an append over maxBatchBytes is TOO_LARGE and writes nothing; exactly the cap works', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const fits = range(1, 3).map(() => messageOfBytes(MESSAGE_BYTES));
      const over = [...range(1, 2).map(() => messageOfBytes(MESSAGE_BYTES)), messageOfBytes(MESSAGE_BYTES + 1)];
      expect(fits.reduce((sum, m) => sum + Buffer.byteLength(JSON.stringify(m)), 0)).toBe(MAX_BYTES);
      await expectCode(byBytes.append(userId, sessionId, over), 'TOO_LARGE');
      expect(await byBytes.getSession(userId, sessionId)).toBeNull();
      expect(await byBytes.append(userId, sessionId, fits)).toEqual({ firstSeq: 1, lastSeq: 3, duplicate: false });
      // Many small messages count as their sum.
      const before = await byBytes.getSession(userId, sessionId);
      await expectCode(byBytes.append(userId, sessionId, range(1, 4).map(() => messageOfBytes(MESSAGE_BYTES))), 'TOO_LARGE');
      await expectUnchanged(byBytes, userId, sessionId, before);
    });

    it('replaceTail over a cap is TOO_LARGE and removes nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await byCount.append(userId, sessionId, chatMessages(3));
      await byBytes.append(userId, sessionId, chatMessages(1));
      const before = await byCount.getSession(userId, sessionId);
      await expectCode(byCount.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(MAX_MESSAGES + 1) }), 'TOO_LARGE');
      await expectCode(byBytes.replaceTail(userId, sessionId, { afterSeq: 0, messages: range(1, 4).map(() => messageOfBytes(MESSAGE_BYTES)) }), 'TOO_LARGE');
      await expectUnchanged(byCount, userId, sessionId, before);
      expect(await byCount.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(MAX_MESSAGES) })).toMatchObject({ removed: 4 });
    });

    it('rewriteMessages and restoreMessages over a cap are TOO_LARGE and write nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(MAX_MESSAGES + 1));
      const before = await byCount.getSession(userId, sessionId);
      const rewrites = range(1, MAX_MESSAGES + 1).map((seq) => ({ seq, message: { v: seq } }));
      await expectCode(byCount.rewriteMessages(userId, sessionId, rewrites), 'TOO_LARGE');
      await expectUnchanged(byCount, userId, sessionId, before);
      expect(await byCount.rewriteMessages(userId, sessionId, rewrites.slice(0, MAX_MESSAGES))).toEqual({ rewritten: MAX_MESSAGES, missing: [] });

      const restored = ctx.freshId('restored');
      const now = Date.now();
      const lastSeq = MAX_MESSAGES + 1;
      await byCount.restoreSession(userId, { id: restored, metadata: {}, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq });
      const messages = range(1, lastSeq).map((seq) => ({ seq, createdAt: new Date(now), message: { v: seq } }));
      await expectCode(byCount.restoreMessages(userId, restored, messages), 'TOO_LARGE');
      expect(await byCount.getMessages(userId, restored)).toEqual([]);
      await byCount.restoreMessages(userId, restored, messages.slice(0, MAX_MESSAGES));
      expect(await byCount.getSession(userId, restored, { limit: 0 })).toMatchObject({ messageCount: MAX_MESSAGES, lastSeq });
    });
  });
}
