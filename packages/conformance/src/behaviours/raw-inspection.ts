import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { expectNativeExpiry } from '../expiry-checks.js';
import type { RawInspector } from '../types.js';
import { chatMessages } from '../helpers.js';
import { containing, marked } from '../markers.js';
import { HOSTILE_FRAGMENTS } from './isolation.js';

/**
 * What is really stored, read through the factory's raw inspector: nothing left behind by
 * delete, deleteUser, pop or clear; native expiry set, changed and removed with the TTL.
 * Registered only when the factory has an inspector.
 */
export function rawInspectionBehaviour(ctx: SuiteContext): void {
  const inspect = (): RawInspector => {
    if (!ctx.inspector) throw new Error('factory.inspector returned nothing');
    return ctx.inspector;
  };

  describe.runIf(ctx.factory.inspector !== undefined)('raw records (inspector)', () => {
    it('deleteSession leaves no record of the session, and none of the user when it was the last', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { title: 'raw' }, ttlMs: 600_000 });
      await ctx.store.append(userId, sessionId, chatMessages(3), { idempotencyKey: 'raw-key' });
      await ctx.store.append(userId, 'kept', chatMessages(1));
      expect((await inspect().sessionRecords(userId, sessionId)).length).toBeGreaterThan(0);
      await ctx.store.deleteSession(userId, sessionId);
      expect(await inspect().sessionRecords(userId, sessionId)).toEqual([]);
      expect(await inspect().sessionExpiry(userId, sessionId)).toBeUndefined();
      expect((await inspect().sessionRecords(userId, 'kept')).length).toBeGreaterThan(0);
      await ctx.store.deleteSession(userId, 'kept');
      expect(await inspect().userRecords(userId)).toEqual([]);
    });

    it('deleteUser leaves no record of the user, and only of that user', async () => {
      const { userId } = ctx.freshIds();
      const neighbour = `${userId}-neighbour`;
      await ctx.store.append(userId, 'a', chatMessages(2), { idempotencyKey: 'k' });
      await ctx.store.createSession(userId, { sessionId: 'b', ttlMs: 600_000, metadata: { m: 1 } });
      await ctx.store.forkSession(userId, 'a', { newSessionId: 'c' });
      await ctx.store.append(neighbour, 'a', chatMessages(1));
      const before = (await inspect().userRecords(neighbour)).length;
      expect((await inspect().userRecords(userId)).length).toBeGreaterThan(0);
      expect(await ctx.store.deleteUser(userId)).toBe(3);
      expect(await inspect().userRecords(userId)).toEqual([]);
      expect((await inspect().userRecords(neighbour)).length).toBe(before);
    });

    it('pop and clear leave no message record behind', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const markers = [1, 2, 3, 4].map((i) => `${sessionId}-m${i}`);
      const [, , third = '', fourth = ''] = markers;
      await ctx.store.append(userId, sessionId, markers.map(marked));
      expect(containing(await inspect().sessionRecords(userId, sessionId), fourth).length).toBeGreaterThan(0);
      await ctx.store.popMessage(userId, sessionId);
      const afterPop = await inspect().sessionRecords(userId, sessionId);
      expect(containing(afterPop, fourth)).toEqual([]);
      expect(containing(afterPop, third).length).toBeGreaterThan(0);
      await ctx.store.clearSession(userId, sessionId);
      const afterClear = await inspect().sessionRecords(userId, sessionId);
      for (const marker of markers) expect(containing(afterClear, marker)).toEqual([]);
      expect(afterClear.length, 'the session record itself stays').toBeGreaterThan(0);
    });

    it('sets the native expiry with a TTL, moves it with the TTL, and removes it with ttlMs: null', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const plain = await ctx.store.createSession(userId, { sessionId });
      await expectNativeExpiry(inspect(), userId, sessionId, plain.expiresAt, ctx.capabilities);
      const short = await ctx.store.updateSession(userId, sessionId, { ttlMs: 60_000 });
      await expectNativeExpiry(inspect(), userId, sessionId, short.expiresAt, ctx.capabilities);
      const long = await ctx.store.updateSession(userId, sessionId, { ttlMs: 3_600_000 });
      await expectNativeExpiry(inspect(), userId, sessionId, long.expiresAt, ctx.capabilities);
      await ctx.store.append(userId, sessionId, chatMessages(2));
      const appended = await ctx.store.getSession(userId, sessionId);
      await expectNativeExpiry(inspect(), userId, sessionId, appended?.expiresAt, ctx.capabilities);
      const never = await ctx.store.updateSession(userId, sessionId, { ttlMs: null });
      await expectNativeExpiry(inspect(), userId, sessionId, never.expiresAt, ctx.capabilities);
    });

    it('keeps hostile ids intact in the records and apart from each other', async () => {
      const base = ctx.freshId('raw-hostile');
      await Promise.all(HOSTILE_FRAGMENTS.map((fragment) => ctx.store.append(`${base}${fragment}`, `s${fragment}`, [marked(`${base}${fragment}`)])));
      await Promise.all(
        HOSTILE_FRAGMENTS.map(async (fragment) => {
          const user = `${base}${fragment}`;
          const records = await inspect().sessionRecords(user, `s${fragment}`);
          expect(records.length, `records of ${user}`).toBeGreaterThan(0);
          const other = HOSTILE_FRAGMENTS.find((f) => f !== fragment && !fragment.includes(f) && !f.includes(fragment));
          expect(await inspect().sessionRecords(user, `s${other}`)).toEqual([]);
        }),
      );
      await ctx.store.deleteUser(`${base}*`);
      expect(await inspect().userRecords(`${base}*`)).toEqual([]);
      expect((await inspect().userRecords(`${base}?`)).length).toBeGreaterThan(0);
    });
  });
}
