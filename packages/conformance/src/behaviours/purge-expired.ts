import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { expiryMarginMs, testTtlMs } from '../expiry-checks.js';
import { chatMessages, collect, expectCode, present, seqsOf, sleepUntil } from '../helpers.js';
import type { RawInspector } from '../types.js';

/**
 * purgeExpired: physically removes expired sessions (all of them, batch after batch) and
 * nothing else. Runs in the suite's quiet namespace, so the counts are exact.
 */
export function purgeExpiredBehaviour(ctx: SuiteContext): void {
  describe('purgeExpired', () => {
    let store: SessionStore<JsonObject>;
    let inspector: RawInspector | undefined;

    beforeAll(async () => {
      store = await ctx.openQuietStore();
      inspector = await ctx.factory.inspector?.(ctx.quietNamespace);
    });
    afterAll(async () => {
      await ctx.closeStore(store);
    });

    it('removes every expired session, batch after batch, and leaves live ones alone', async () => {
      const T = testTtlMs(ctx.capabilities);
      const { userId } = ctx.freshIds();
      const goneUser = ctx.freshId('purged');
      const expiring = ['x1', 'x2', 'x3'];
      const infos = await Promise.all([
        ...expiring.map(async (sessionId) => {
          await store.createSession(userId, { sessionId, ttlMs: T });
          await store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'k' });
          return present(await store.getSession(userId, sessionId), sessionId);
        }),
        store.createSession(goneUser, { sessionId: 'only', ttlMs: T }),
      ]);
      await store.append(userId, 'live', chatMessages(3));
      await store.createSession(userId, { sessionId: 'live-ttl', ttlMs: 600_000 });
      const latest = Math.max(...infos.map((info) => info.expiresAt?.getTime() ?? 0));
      await sleepUntil(latest + expiryMarginMs(ctx.capabilities));

      const purged = await store.purgeExpired({ batchSize: 2 });
      if (ctx.capabilities.nativeExpiry) {
        expect(purged).toBeGreaterThanOrEqual(0);
        expect(purged).toBeLessThanOrEqual(4);
      } else {
        expect(purged, 'purgeExpired returns how many sessions it deleted').toBe(4);
      }
      expect(await store.purgeExpired(), 'nothing is left to purge').toBe(0);
      if (inspector) {
        for (const sessionId of expiring) expect(await inspector.sessionRecords(userId, sessionId)).toEqual([]);
        expect(await inspector.userRecords(goneUser)).toEqual([]);
      }
      expect(seqsOf(await store.getMessages(userId, 'live'))).toEqual([1, 2, 3]);
      expect(await store.getSession(userId, 'live-ttl')).not.toBeNull();
      expect((await store.listSessions(userId)).items.map((i) => i.id).sort()).toEqual(['live', 'live-ttl']);
      expect(await collect(store.listUsers())).not.toContain(goneUser);
      // A purged id is free again.
      expect(await store.append(userId, 'x1', chatMessages(1), { idempotencyKey: 'k' })).toEqual({
        firstSeq: 1,
        lastSeq: 1,
        duplicate: false,
      });
    });

    it('rejects a batch size that is not a positive integer', async () => {
      for (const batchSize of [0, -1, 1.5]) {
        await expectCode(store.purgeExpired({ batchSize }), 'INVALID_ARGUMENT');
      }
    });
  });
}
