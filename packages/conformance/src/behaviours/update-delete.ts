import { describe, expect, it } from 'vitest';
import { MAX_METADATA_BYTES } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, collect, expectCode, expectExpiresAfterWrite, expectUnchanged, present, sleep } from '../helpers.js';

/** updateSession (merge, null removes, TTL, NOT_FOUND) and deleteSession (everything goes). */
export function updateDeleteBehaviour(ctx: SuiteContext): void {
  describe('updateSession', () => {
    it('shallow-merges metadata, removes keys set to null and bumps updatedAt', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const created = await ctx.store.createSession(userId, {
        sessionId,
        metadata: { title: 'a', tags: ['x'], nested: { deep: 1 } },
      });
      await sleep(3);
      const updated = await ctx.store.updateSession(userId, sessionId, {
        metadata: { title: 'b', nested: { other: 2 }, tags: null, added: true },
      });
      expect(updated.metadata).toEqual({ title: 'b', nested: { other: 2 }, added: true });
      expect(updated).not.toHaveProperty('messages');
      expect(updated.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
      expect(updated.createdAt.getTime()).toBe(created.createdAt.getTime());
      const read = await ctx.store.getSession(userId, sessionId);
      expect(read?.metadata).toEqual(updated.metadata);
      expect(read?.updatedAt.getTime()).toBe(updated.updatedAt.getTime());
    });

    it('with an empty patch only bumps updatedAt and keeps messages and counters', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      await ctx.store.updateSession(userId, sessionId, { metadata: { k: 1 } });
      const before = present(await ctx.store.getSession(userId, sessionId), 'the session');
      await sleep(3);
      const after = await ctx.store.updateSession(userId, sessionId, {});
      expect(after).toMatchObject({ metadata: { k: 1 }, messageCount: 2, lastSeq: 2 });
      expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
      expect((await ctx.store.getSession(userId, sessionId))?.messages).toEqual(before.messages);
    });

    it('sets, changes and removes the TTL', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId });
      const g = ctx.capabilities.ttlGranularityMs;
      let before = Date.now();
      const withTtl = await ctx.store.updateSession(userId, sessionId, { ttlMs: 120_000 });
      expectExpiresAfterWrite(withTtl.expiresAt, before, Date.now(), 120_000, g);
      before = Date.now();
      const shorter = await ctx.store.updateSession(userId, sessionId, { ttlMs: 60_000 });
      expectExpiresAfterWrite(shorter.expiresAt, before, Date.now(), 60_000, g);
      // The session keeps its TTL: a later write slides by the same amount.
      before = Date.now();
      await ctx.store.updateSession(userId, sessionId, { metadata: { touched: true } });
      const read = await ctx.store.getSession(userId, sessionId);
      expectExpiresAfterWrite(read?.expiresAt, before, Date.now(), 60_000, g);
      const never = await ctx.store.updateSession(userId, sessionId, { ttlMs: null });
      expect(never.expiresAt).toBeNull();
      expect((await ctx.store.getSession(userId, sessionId))?.expiresAt).toBeNull();
    });

    it('is NOT_FOUND for a missing session and does not create it', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.updateSession(userId, sessionId, { metadata: { a: 1 } }), 'NOT_FOUND');
      await expectCode(ctx.store.updateSession(userId, sessionId, {}), 'NOT_FOUND');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });

    it('rejects a merge that would outgrow 64 KiB with TOO_LARGE and keeps the old metadata', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const half = 'x'.repeat(MAX_METADATA_BYTES / 2);
      await ctx.store.createSession(userId, { sessionId, metadata: { a: half } });
      const before = await ctx.store.getSession(userId, sessionId);
      await expectCode(ctx.store.updateSession(userId, sessionId, { metadata: { b: half } }), 'TOO_LARGE');
      await expectUnchanged(ctx.store, userId, sessionId, before);
      // Replacing the large value keeps the size down and is accepted.
      const replaced = await ctx.store.updateSession(userId, sessionId, { metadata: { a: null, b: half } });
      expect(Object.keys(replaced.metadata)).toEqual(['b']);
    });
  });

  describe('deleteSession', () => {
    it('returns true once, then false; the session, its messages and its listing entry are gone', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      await ctx.store.createSession(userId, { sessionId: 'survivor' });
      expect(await ctx.store.deleteSession(userId, sessionId)).toBe(true);
      expect(await ctx.store.deleteSession(userId, sessionId)).toBe(false);
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      expect(await ctx.store.getMessages(userId, sessionId)).toEqual([]);
      expect(await ctx.store.popMessage(userId, sessionId)).toBeNull();
      expect((await ctx.store.listSessions(userId)).items.map((i) => i.id)).toEqual(['survivor']);
      await expectCode(ctx.store.updateSession(userId, sessionId, {}), 'NOT_FOUND');
    });

    it('is false for a session that never existed, and a deleted id starts afresh from seq 1', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await ctx.store.deleteSession(userId, sessionId)).toBe(false);
      await ctx.store.append(userId, sessionId, chatMessages(4), { idempotencyKey: 'k' });
      await ctx.store.deleteSession(userId, ` ${sessionId} `);
      const again = await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'k' });
      expect(again).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
      expect(await ctx.store.getSession(userId, sessionId)).toMatchObject({ messageCount: 1, lastSeq: 1, metadata: {} });
    });

    it('removes the user from listUsers when it was their last session', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId });
      expect(await collect(ctx.store.listUsers())).toContain(userId);
      await ctx.store.deleteSession(userId, sessionId);
      expect(await collect(ctx.store.listUsers())).not.toContain(userId);
    });
  });
}
