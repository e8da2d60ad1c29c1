import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expiryMarginMs, testTtlMs } from '../expiry-checks.js';
import { chatMessages, collect, expectCode, seqsOf, sleepUntil } from '../helpers.js';

/** purgeExpired: physically removes expired sessions (all of them, in batches), nothing else. */
export function purgeExpiredBehaviour(ctx: SuiteContext): void {
  describe('purgeExpired', () => {
    it('removes every expired session, batch after batch, and leaves live ones alone', async () => {
      const T = testTtlMs(ctx.capabilities);
      const { userId } = ctx.freshIds();
      const goneUser = ctx.freshId('purged');
      const expiring = ['x1', 'x2', 'x3'];
      const infos = await Promise.all([
        ...expiring.map(async (sessionId) => {
          await ctx.store.createSession(userId, { sessionId, ttlMs: T });
          await ctx.store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'k' });
          return (await ctx.store.getSession(userId, sessionId))!;
        }),
        ctx.store.createSession(goneUser, { sessionId: 'only', ttlMs: T }),
      ]);
      await ctx.store.append(userId, 'live', chatMessages(3));
      await ctx.store.createSession(userId, { sessionId: 'live-ttl', ttlMs: 600_000 });
      const latest = Math.max(...infos.map((info) => info.expiresAt?.getTime() ?? 0));
      await sleepUntil(latest + expiryMarginMs(ctx.capabilities));

      const purged = await ctx.store.purgeExpired({ batchSize: 2 });
      expect(Number.isSafeInteger(purged) && purged >= 0).toBe(true);
      if (!ctx.capabilities.nativeExpiry) expect(purged).toBeGreaterThanOrEqual(4);
      if (ctx.inspector) {
        for (const sessionId of expiring) expect(await ctx.inspector.sessionRecords(userId, sessionId)).toEqual([]);
        expect(await ctx.inspector.userRecords(goneUser)).toEqual([]);
      }
      expect(seqsOf(await ctx.store.getMessages(userId, 'live'))).toEqual([1, 2, 3]);
      expect(await ctx.store.getSession(userId, 'live-ttl')).not.toBeNull();
      expect((await ctx.store.listSessions(userId)).items.map((i) => i.id).sort()).toEqual(['live', 'live-ttl']);
      expect(await collect(ctx.store.listUsers())).not.toContain(goneUser);
      // A purged id is free again.
      expect(await ctx.store.append(userId, 'x1', chatMessages(1), { idempotencyKey: 'k' })).toEqual({
        firstSeq: 1,
        lastSeq: 1,
        duplicate: false,
      });
    });

    it('accepts the default batch size and rejects a batch size that is not a positive integer', async () => {
      const purged = await ctx.store.purgeExpired();
      expect(Number.isSafeInteger(purged) && purged >= 0).toBe(true);
      for (const batchSize of [0, -1, 1.5]) {
        await expectCode(ctx.store.purgeExpired({ batchSize }), 'INVALID_ARGUMENT');
      }
    });
  });
}
