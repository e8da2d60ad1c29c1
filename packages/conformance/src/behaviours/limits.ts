import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_METADATA_BYTES, type JsonObject, type SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged } from '../helpers.js';

const SMALL_LIMIT = 1024;

/** A message whose JSON text is exactly `bytes` bytes of UTF-8, with multi-byte characters in it. */
export function messageOfBytes(bytes: number): JsonObject {
  // {"t":"é…x…"}: 8 bytes of JSON around the text; "é" is 2 bytes in UTF-8.
  const text = bytes - 8;
  const wide = Math.floor(Math.min(text, 200) / 2);
  return { t: 'é'.repeat(wide) + 'x'.repeat(text - 2 * wide) };
}

/** A metadata object whose JSON text is exactly `bytes` bytes. */
export function metadataOfBytes(bytes: number): JsonObject {
  return { m: 'x'.repeat(bytes - 8) };
}

/** Rule 5 (limits), maxMessageBytes / TOO_LARGE, and the 64 KiB metadata cap. */
export function limitsBehaviour(ctx: SuiteContext): void {
  describe('limits', () => {
    it('accepts limit 0 (giving nothing) and rejects any limit that is not a non-negative integer', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      expect(await ctx.store.getMessages(userId, sessionId, { limit: 0 })).toEqual([]);
      expect((await ctx.store.getSession(userId, sessionId, { limit: 0 }))?.messages).toEqual([]);
      expect((await ctx.store.getOrCreateSession(userId, sessionId, { limit: 0 })).messages).toEqual([]);
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      for (const limit of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2' as unknown as number, null as unknown as number]) {
        await expectCode(ctx.store.getMessages(userId, sessionId, { limit }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.getSession(userId, sessionId, { limit }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.getOrCreateSession(userId, sessionId, { limit }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.listSessions(userId, { limit }), 'INVALID_ARGUMENT');
      }
    });

    it('rejects seq bounds and TTLs that are not valid numbers, writing nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      const before = await ctx.store.getSession(userId, sessionId);
      for (const bad of [-1, 0.5, Number.NaN]) {
        await expectCode(ctx.store.getMessages(userId, sessionId, { beforeSeq: bad }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.getMessages(userId, sessionId, { afterSeq: bad }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: bad }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.forkSession(userId, sessionId, { uptoSeq: bad, newSessionId: 'f' }), 'INVALID_ARGUMENT');
      }
      await expectCode(ctx.store.getMessages(userId, sessionId, { from: 'middle' as 'start' }), 'INVALID_ARGUMENT');
      for (const ttlMs of [0, -5, 1.5, Number.NaN]) {
        await expectCode(ctx.store.updateSession(userId, sessionId, { ttlMs }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.createSession(userId, { sessionId: 'ttl', ttlMs }), 'INVALID_ARGUMENT');
      }
      await expectUnchanged(ctx.store, userId, sessionId, before);
      expect(await ctx.store.getSession(userId, 'f')).toBeNull();
      expect(await ctx.store.getSession(userId, 'ttl')).toBeNull();
    });

    describe(`maxMessageBytes (a store with maxMessageBytes: ${SMALL_LIMIT})`, () => {
      let small: SessionStore<JsonObject>;
      beforeAll(async () => {
        small = await ctx.openStore({ maxMessageBytes: SMALL_LIMIT });
      });
      afterAll(async () => {
        await ctx.closeStore(small);
      });

      it('accepts a message of exactly maxMessageBytes and rejects one byte more with TOO_LARGE', async () => {
        const { userId, sessionId } = ctx.freshIds();
        const fits = messageOfBytes(SMALL_LIMIT);
        expect(Buffer.byteLength(JSON.stringify(fits))).toBe(SMALL_LIMIT);
        await small.append(userId, sessionId, fits);
        const before = await small.getSession(userId, sessionId);
        await expectCode(small.append(userId, sessionId, messageOfBytes(SMALL_LIMIT + 1)), 'TOO_LARGE');
        await expectCode(small.append(userId, sessionId, [...chatMessages(1), messageOfBytes(SMALL_LIMIT + 1)]), 'TOO_LARGE');
        await expectUnchanged(small, userId, sessionId, before);
        expect(before?.messages[0]?.message).toEqual(fits);
        const fresh = ctx.freshIds();
        await expectCode(small.append(fresh.userId, fresh.sessionId, messageOfBytes(SMALL_LIMIT + 1)), 'TOO_LARGE');
        expect(await small.getSession(fresh.userId, fresh.sessionId)).toBeNull();
      });

      it('limits each message, not the batch: many messages just under the limit fit in one batch', async () => {
        const { userId, sessionId } = ctx.freshIds();
        const batch = Array.from({ length: 20 }, () => messageOfBytes(SMALL_LIMIT));
        expect(await small.append(userId, sessionId, batch)).toMatchObject({ firstSeq: 1, lastSeq: 20 });
      });
    });

    it('accepts a message of the default 256 KiB and rejects one byte more', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, messageOfBytes(256 * 1024));
      await expectCode(ctx.store.append(userId, sessionId, messageOfBytes(256 * 1024 + 1)), 'TOO_LARGE');
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 1, lastSeq: 1 });
    });

    it('accepts metadata of 64 KiB and rejects one byte more with TOO_LARGE, on create, update and fork', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const fits = metadataOfBytes(MAX_METADATA_BYTES);
      expect(Buffer.byteLength(JSON.stringify(fits))).toBe(MAX_METADATA_BYTES);
      const created = await ctx.store.createSession(userId, { sessionId, metadata: fits });
      expect(created.metadata).toEqual(fits);
      const tooBig = metadataOfBytes(MAX_METADATA_BYTES + 1);
      await expectCode(ctx.store.createSession(userId, { sessionId: 'big', metadata: tooBig }), 'TOO_LARGE');
      await expectCode(ctx.store.getOrCreateSession(userId, 'big', { metadata: tooBig }), 'TOO_LARGE');
      expect(await ctx.store.getSession(userId, 'big')).toBeNull();
      const before = await ctx.store.getSession(userId, sessionId);
      await expectCode(ctx.store.updateSession(userId, sessionId, { metadata: tooBig }), 'TOO_LARGE');
      await expectUnchanged(ctx.store, userId, sessionId, before);
      // The fork adds forkedFrom to metadata that is already at the limit.
      await expectCode(ctx.store.forkSession(userId, sessionId, { newSessionId: 'fork' }), 'TOO_LARGE');
      expect(await ctx.store.getSession(userId, 'fork')).toBeNull();
    });
  });
}
