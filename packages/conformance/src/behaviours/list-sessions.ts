import { describe, expect, it } from 'vitest';
import { compareListOrder, encodeListCursor, type SessionInfo } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, present, sleep } from '../helpers.js';

const position = (info: SessionInfo) => ({ updatedAt: info.updatedAt.getTime(), id: info.id });

/** listSessions: order, keyset pagination, cursors, limits, no messages, per-user scope. */
export function listSessionsBehaviour(ctx: SuiteContext): void {
  describe('listSessions', () => {
    it('lists newest updatedAt first, ties by id, with exact counts and no messages', async () => {
      const { userId } = ctx.freshIds();
      // Created concurrently so that several share an updatedAt millisecond: ties must order by id.
      const ids = Array.from({ length: 12 }, (_, i) => `s${String.fromCharCode(97 + ((i * 7) % 12))}-${i}`);
      await Promise.all(ids.map((sessionId) => ctx.store.createSession(userId, { sessionId })));
      await sleep(3);
      await ctx.store.append(userId, present(ids[5]), chatMessages(2));
      const page = await ctx.store.listSessions(userId, { limit: 1000 });
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((i) => i.id).sort()).toEqual([...ids].sort());
      const sorted = [...page.items].sort((a, b) => compareListOrder(position(a), position(b)));
      expect(page.items.map((i) => i.id)).toEqual(sorted.map((i) => i.id));
      expect(page.items[0]).toMatchObject({ id: ids[5], userId, messageCount: 2, lastSeq: 2 });
      for (const item of page.items) {
        expect(item).not.toHaveProperty('messages');
        expect(item.userId).toBe(userId);
        expect(item.updatedAt).toBeInstanceOf(Date);
      }
    });

    it('paginates with keyset cursors: every session once, in order, null cursor on the last page', async () => {
      const { userId } = ctx.freshIds();
      for (let i = 0; i < 7; i++) {
        await ctx.store.createSession(userId, { sessionId: `p${i}` });
        if (i % 2 === 0) await sleep(2);
      }
      const all = (await ctx.store.listSessions(userId)).items;
      expect(all).toHaveLength(7);
      const pages: SessionInfo[][] = [];
      let cursor: string | null = null;
      do {
        const page = await ctx.store.listSessions(userId, { limit: 3, cursor });
        pages.push(page.items);
        if (page.nextCursor !== null) {
          expect(page.items.length).toBe(3);
          expect(page.nextCursor).toBe(encodeListCursor(position(present(page.items.at(-1)))));
        }
        cursor = page.nextCursor;
        expect(pages.length).toBeLessThanOrEqual(4);
      } while (cursor !== null);
      expect(pages.map((p) => p.length).slice(0, 3)).toEqual([3, 3, 1]);
      expect(pages.flat().map((i) => i.id)).toEqual(all.map((i) => i.id));
    });

    it('continues after an item that changed between pages without skipping unchanged ones', async () => {
      const { userId } = ctx.freshIds();
      for (let i = 0; i < 4; i++) {
        await ctx.store.createSession(userId, { sessionId: `k${i}` });
        await sleep(2);
      }
      const first = await ctx.store.listSessions(userId, { limit: 2 });
      expect(first.items.map((i) => i.id)).toEqual(['k3', 'k2']);
      await ctx.store.append(userId, 'k3', chatMessages(1));
      const second = await ctx.store.listSessions(userId, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((i) => i.id)).toEqual(['k1', 'k0']);
    });

    it('limit 0 gives an empty page; the default page size is 50; more than 1000 is INVALID_ARGUMENT', async () => {
      const { userId } = ctx.freshIds();
      await Promise.all(Array.from({ length: 52 }, (_, i) => ctx.store.createSession(userId, { sessionId: `d${i}` })));
      expect(await ctx.store.listSessions(userId, { limit: 0 })).toEqual({ items: [], nextCursor: null });
      const page = await ctx.store.listSessions(userId);
      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
      const rest = await ctx.store.listSessions(userId, { cursor: page.nextCursor });
      expect(rest.items).toHaveLength(2);
      expect(rest.nextCursor).toBeNull();
      expect((await ctx.store.listSessions(userId, { limit: 1000 })).items).toHaveLength(52);
      await expectCode(ctx.store.listSessions(userId, { limit: 1001 }), 'INVALID_ARGUMENT');
      await expectCode(ctx.store.listSessions(userId, { limit: -1 }), 'INVALID_ARGUMENT');
      await expectCode(ctx.store.listSessions(userId, { limit: 2.5 }), 'INVALID_ARGUMENT');
    });

    it('rejects a cursor it did not make with INVALID_ARGUMENT', async () => {
      const { userId } = ctx.freshIds();
      await ctx.store.createSession(userId);
      for (const cursor of ['not a cursor', 'e30', Buffer.from('[1,2]').toString('base64url'), '']) {
        await expectCode(ctx.store.listSessions(userId, { cursor }), 'INVALID_ARGUMENT');
      }
    });

    it('lists only the sessions of the named user; a user without sessions gets an empty page', async () => {
      const a = ctx.freshIds();
      const b = ctx.freshIds();
      await ctx.store.createSession(a.userId, { sessionId: 'shared' });
      await ctx.store.createSession(b.userId, { sessionId: 'shared' });
      await ctx.store.createSession(b.userId, { sessionId: 'only-b' });
      expect((await ctx.store.listSessions(a.userId)).items.map((i) => [i.userId, i.id])).toEqual([[a.userId, 'shared']]);
      expect((await ctx.store.listSessions(b.userId)).items).toHaveLength(2);
      expect(await ctx.store.listSessions(ctx.freshIds().userId)).toEqual({ items: [], nextCursor: null });
    });
  });
}
