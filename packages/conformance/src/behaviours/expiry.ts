import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SessionInfo, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { expectGone, expectNativeExpiry, expiryMarginMs, testTtlMs } from '../expiry-checks.js';
import { chatMessages, collect, expectCode, expectExpiresAfterWrite, present, sleepUntil } from '../helpers.js';

/**
 * Rule 6 in real time (backends like Redis expire natively). One timeline, two waits:
 * at t0 sessions are created with TTL `T` (they must be gone at T + margin) or `LONG` (2T +
 * margin); at T + margin the long ones are written to (they must slide) or only read (they must
 * not); at LONG + margin the slid ones must still be alive and the others gone. The tests depend on
 * each other and run in order.
 */
export function expiryBehaviour(ctx: SuiteContext): void {
  describe('expiry', () => {
    const T = testTtlMs(ctx.capabilities);
    const margin = expiryMarginMs(ctx.capabilities);
    const g = ctx.capabilities.ttlGranularityMs;
    // Long enough that the slides at T + margin land well before it, whatever the margin.
    const LONG = 2 * T + margin;
    let ttlStore: SessionStore<JsonObject>;
    let t0 = 0;
    const user = ctx.freshId('expiry');
    const lonelyUser = ctx.freshId('expiry-lonely');
    const infos = new Map<string, SessionInfo>();
    let firstLook: { listed: string[]; users: string[] } | undefined;
    const store = () => ctx.store;
    const latestExpiry = (ids: string[]) =>
      Math.max(
        ...ids.map((id) => {
          const at = infos.get(id)?.expiresAt;
          if (!at) throw new Error(`the set-up of ${id} did not give it an expiresAt`);
          return at.getTime();
        }),
      );

    beforeAll(async () => {
      ttlStore = await ctx.openStore({ ttlMs: T });
    });
    afterAll(async () => {
      await ctx.closeStore(ttlStore);
    });

    const checkWrite = async (sessionId: string, ttl: number, write: () => Promise<unknown>) => {
      const before = Date.now();
      await write();
      const info = await store().getSession(user, sessionId);
      expectExpiresAfterWrite(info?.expiresAt, before, Date.now(), ttl, g);
      await expectNativeExpiry(ctx.inspector, user, sessionId, info?.expiresAt, ctx.capabilities);
      return present(info, sessionId);
    };

    it('sets expiresAt to write time + TTL from the session, the store default, or neither', async () => {
      t0 = Date.now();
      const s = store();
      const keep = (id: string) => (info: SessionInfo) => void infos.set(id, info);
      // Everything is set up at once, so the timeline does not depend on the backend's latency.
      await Promise.all([
        // Expire at T: per-session TTL, store default, getOrCreate, update.
        checkWrite('e-session', T, async () => {
          await s.createSession(user, { sessionId: 'e-session', ttlMs: T });
          await s.append(user, 'e-session', chatMessages(2));
        }).then(keep('e-session')),
        checkWrite('e-default', T, () => ttlStore.append(user, 'e-default', chatMessages(1))).then(keep('e-default')),
        checkWrite('e-get-or-create', T, () => s.getOrCreateSession(user, 'e-get-or-create', { ttlMs: T })).then(keep('e-get-or-create')),
        checkWrite('e-update', T, async () => {
          await s.append(user, 'e-update', chatMessages(1));
          await s.updateSession(user, 'e-update', { ttlMs: T });
        }).then(keep('e-update')),
        // Another user's only session.
        s.createSession(lonelyUser, { sessionId: 'only', ttlMs: T }).then(keep('only')),
        // Untouched until they are reused after expiry.
        s.append(user, 'reuse-append', chatMessages(3), { idempotencyKey: 'k' })
          .then(() => s.updateSession(user, 'reuse-append', { ttlMs: T }))
          .then(keep('reuse-append')),
        ttlStore.createSession(user, { sessionId: 'reuse-create', metadata: { old: true } }).then(keep('reuse-create')),
        s.getOrCreateSession(user, 'reuse-get-or-create', { ttlMs: T, metadata: { old: true } }).then(keep('reuse-get-or-create')),
        // Never expire: null overrides the store default; no TTL at all; a long per-session TTL.
        ttlStore.createSession(user, { sessionId: 'never-null', ttlMs: null }).then(async (never) => {
          expect(never.expiresAt).toBeNull();
          await expectNativeExpiry(ctx.inspector, user, 'never-null', null, ctx.capabilities);
        }),
        s.append(user, 'never-plain', chatMessages(1)).then(async () => {
          expect((await s.getSession(user, 'never-plain'))?.expiresAt).toBeNull();
        }),
        checkWrite('long', 600_000, () => ttlStore.createSession(user, { sessionId: 'long', ttlMs: 600_000 })),
        // TTL LONG: slid at T + margin by a write, or only read / touched by a no-op.
        ...['slide-append', 'slide-update', 'slide-pop', 'slide-clear', 'slide-to-null', 'read-only', 'pop-nothing'].map((id) =>
          checkWrite(id, LONG, async () => {
            await s.createSession(user, { sessionId: id, ttlMs: LONG });
            if (id !== 'pop-nothing') await s.append(user, id, chatMessages(2));
          }).then(keep(id)),
        ),
        s
          .restoreSession(user, {
            id: 'restored',
            metadata: {},
            createdAt: new Date(t0),
            updatedAt: new Date(t0),
            expiresAt: new Date(t0 + LONG),
            lastSeq: 5,
          })
          .then(async () => keep('restored')(present(await s.getSession(user, 'restored'), 'restored'))),
      ]);
      // The slides happen once the T sessions have expired; the long ones must still be alive then,
      // with time to spare for the writes themselves.
      const slideAt = latestExpiry(['e-session', 'e-default', 'e-get-or-create', 'e-update', 'only']) + margin;
      const firstLongExpiry = Math.min(...['slide-append', 'slide-update', 'slide-pop', 'slide-clear', 'slide-to-null'].map((id) => latestExpiry([id])));
      expect(firstLongExpiry - slideAt, 'the set-up was too slow for this timeline (sessions created too far apart)').toBeGreaterThan(T / 4);
    });

    // Both waits come first and every call between them runs at once, so the slow, thorough
    // checks of the expired sessions (next test) cannot push the timeline past the longer TTL.
    it('slides expiresAt on every write (append, update, pop, clear), never on reads or no-ops', async () => {
      const s = store();
      await sleepUntil(latestExpiry(['e-session', 'e-default', 'e-get-or-create', 'e-update', 'only']) + margin);
      const [listed, users] = await Promise.all([
        s.listSessions(user, { limit: 1000 }).then((page) => page.items.map((i) => i.id)),
        collect(s.listUsers()),
        checkWrite('slide-append', LONG, () => s.append(user, 'slide-append', chatMessages(1))),
        checkWrite('slide-update', LONG, () => s.updateSession(user, 'slide-update', { metadata: { touched: 1 } })),
        checkWrite('slide-pop', LONG, () => s.popMessage(user, 'slide-pop')),
        checkWrite('slide-clear', LONG, () => s.clearSession(user, 'slide-clear')),
        s.updateSession(user, 'slide-to-null', { ttlMs: null }).then(async (toNull) => {
          expect(toNull.expiresAt).toBeNull();
          await expectNativeExpiry(ctx.inspector, user, 'slide-to-null', null, ctx.capabilities);
        }),
        Promise.all([s.getSession(user, 'read-only'), s.getMessages(user, 'read-only', { limit: 1 }), s.listSessions(user)]).then(([read]) =>
          expect(read?.expiresAt).toEqual(infos.get('read-only')?.expiresAt),
        ),
        s.popMessage(user, 'pop-nothing').then((popped) => expect(popped).toBeNull()),
        s.restoreMessages(user, 'restored', [{ seq: 1, createdAt: new Date(), message: { restored: true } }]),
      ]);
      firstLook = { listed, users };

      await sleepUntil(latestExpiry(['read-only', 'pop-nothing', 'restored']) + margin);
      const alive = ['slide-append', 'slide-update', 'slide-pop', 'slide-clear', 'slide-to-null', 'never-null', 'never-plain', 'long'];
      const dead = ['read-only', 'pop-nothing', 'restored'];
      const reads = await Promise.all([...alive, ...dead].map((id) => s.getSession(user, id)));
      alive.forEach((id, i) => expect(reads[i], `${id} must still be alive`).not.toBeNull());
      expect(reads[0]?.messages).toHaveLength(3);
      dead.forEach((id, i) => expect(reads[alive.length + i], `${id} must have expired: reads, empty pops and restores do not slide`).toBeNull());
    });

    it('hides an expired session from every read, as if it were deleted', async () => {
      const { listed, users } = present(firstLook, 'the first look of the previous test (its timeline did not run)');
      expect(listed).toEqual(expect.arrayContaining(['never-null', 'never-plain', 'long', 'slide-append', 'read-only']));
      for (const id of ['e-session', 'e-default', 'e-get-or-create', 'e-update', 'reuse-append', 'reuse-create']) {
        expect(listed).not.toContain(id);
      }
      expect(users).toContain(user);
      expect(users).not.toContain(lonelyUser);
      for (const id of ['e-session', 'e-default', 'e-get-or-create', 'e-update']) await expectGone(store(), user, id);
      await expectGone(store(), lonelyUser, 'only');
      expect(await store().deleteSession(lonelyUser, 'only')).toBe(false);
      expect(await collect(store().listUsers())).not.toContain(lonelyUser);
    });

    it('starts a fresh session (seq from 1, no old keys or metadata) on an expired id', async () => {
      const s = store();
      expect(await s.append(user, 'reuse-append', chatMessages(1), { idempotencyKey: 'k' })).toEqual({
        firstSeq: 1,
        lastSeq: 1,
        duplicate: false,
      });
      expect(await s.getSession(user, 'reuse-append')).toMatchObject({ messageCount: 1, lastSeq: 1, metadata: {} });
      const created = await s.createSession(user, { sessionId: 'reuse-create', metadata: { fresh: true } });
      expect(created).toMatchObject({ metadata: { fresh: true }, lastSeq: 0, messageCount: 0 });
      const got = await s.getOrCreateSession(user, 'reuse-get-or-create');
      expect(got).toMatchObject({ created: true, metadata: {}, lastSeq: 0, messages: [], expiresAt: null });
      await expectCode(s.createSession(user, { sessionId: 'reuse-create' }), 'ALREADY_EXISTS');
    });
  });
}
