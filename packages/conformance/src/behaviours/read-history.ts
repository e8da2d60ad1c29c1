import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, collect, jsonForm, present, range, seqsOf } from '../helpers.js';

/** The small page size of the store these tests open, so a short history spans several pages. */
const PAGE = 7;
/** A history length that is not a multiple of the page, and one that is. */
const LENGTH = 23;
const EXACT = 3 * PAGE;

/**
 * Whole-history reads in bounded pages: a read without `limit` (getMessages, getSession,
 * getOrCreateSession) on a history longer than `readPageSize` returns everything, in order;
 * limits larger than a page work from either end; `readHistory` iterates the whole history.
 */
export function readHistoryBehaviour(ctx: SuiteContext): void {
  describe('paged reads and readHistory', () => {
    let paged: SessionStore<JsonObject>;
    beforeAll(async () => {
      paged = await ctx.openStore({ readPageSize: PAGE });
    });
    afterAll(async () => {
      await ctx.closeStore(paged);
    });

    /** A session of `length` messages, written in batches the backend accepts. */
    const sessionOf = async (length: number) => {
      const ids = ctx.freshIds();
      const batch = Math.min(ctx.capabilities.maxBatchSize ?? length, length);
      for (let first = 1; first <= length; first += batch) {
        await ctx.store.append(ids.userId, ids.sessionId, chatMessages(Math.min(batch, length - first + 1), 'h', first));
      }
      return ids;
    };

    it(`getMessages without limit returns all of a ${LENGTH}-message and a ${EXACT}-message history, in order (readPageSize ${PAGE})`, async () => {
      for (const length of [LENGTH, EXACT, PAGE, PAGE - 1]) {
        const { userId, sessionId } = await sessionOf(length);
        const all = await paged.getMessages(userId, sessionId);
        expect(seqsOf(all), `${length} messages`).toEqual(range(1, length));
        expect(all.map((m) => m.message)).toEqual(jsonForm(chatMessages(length, 'h')));
      }
    });

    it('getSession and getOrCreateSession without limit return every message', async () => {
      const { userId, sessionId } = await sessionOf(LENGTH);
      const session = present(await paged.getSession(userId, sessionId), 'the session');
      expect(seqsOf(session.messages)).toEqual(range(1, LENGTH));
      expect(session.messages.map((m) => m.message)).toEqual(jsonForm(chatMessages(LENGTH, 'h')));
      expect(session).toMatchObject({ messageCount: LENGTH, lastSeq: LENGTH });
      const got = await paged.getOrCreateSession(userId, sessionId);
      expect(got.created).toBe(false);
      expect(seqsOf(got.messages)).toEqual(range(1, LENGTH));
      expect(seqsOf(present(await paged.getSession(userId, sessionId, { limit: 10 })).messages)).toEqual(range(LENGTH - 9, LENGTH));
      expect(seqsOf((await paged.getOrCreateSession(userId, sessionId, { limit: 16 })).messages)).toEqual(range(LENGTH - 15, LENGTH));
    });

    it('limits larger than a page work from either end and within bounds', async () => {
      const { userId, sessionId } = await sessionOf(LENGTH);
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 17, from: 'start' }))).toEqual(range(1, 17));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 17, from: 'end' }))).toEqual(range(7, 23));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 17 }))).toEqual(range(7, 23));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 14, from: 'start' }))).toEqual(range(1, 14));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 100, from: 'start' }))).toEqual(range(1, LENGTH));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 100, from: 'end' }))).toEqual(range(1, LENGTH));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { afterSeq: 3, limit: 10, from: 'start' }))).toEqual(range(4, 13));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { beforeSeq: 20, limit: 15 }))).toEqual(range(5, 19));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { afterSeq: 2, beforeSeq: 21 }))).toEqual(range(3, 20));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { afterSeq: 2, beforeSeq: 21, limit: 9 }))).toEqual(range(12, 20));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { afterSeq: 2, beforeSeq: 21, limit: 9, from: 'start' }))).toEqual(range(3, 11));
    });

    it('pages across gaps (trimmed, replaced and popped seqs)', async () => {
      const { userId, sessionId } = await sessionOf(LENGTH);
      await ctx.store.trimSession(userId, sessionId, { beforeSeq: 3 });
      await ctx.store.replaceTail(userId, sessionId, { afterSeq: 18, messages: chatMessages(3, 'r') });
      await ctx.store.popMessage(userId, sessionId);
      const held = [...range(3, 18), 24, 25];
      expect(seqsOf(await paged.getMessages(userId, sessionId))).toEqual(held);
      expect(seqsOf(present(await paged.getSession(userId, sessionId)).messages)).toEqual(held);
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 12 }))).toEqual(held.slice(-12));
      expect(seqsOf(await paged.getMessages(userId, sessionId, { limit: 12, from: 'start' }))).toEqual(held.slice(0, 12));
      expect(seqsOf(await collect(paged.readHistory(userId, sessionId)))).toEqual(held);
    });

    it('readHistory iterates the whole history in order, after afterSeq, with any pageSize', async () => {
      const { userId, sessionId } = await sessionOf(LENGTH);
      const all = await collect(paged.readHistory(userId, sessionId));
      expect(seqsOf(all)).toEqual(range(1, LENGTH));
      expect(all.map((m) => m.message)).toEqual(jsonForm(chatMessages(LENGTH, 'h')));
      expect(all.every((m) => m.createdAt instanceof Date)).toBe(true);
      expect(seqsOf(await collect(paged.readHistory(userId, sessionId, { afterSeq: 5 })))).toEqual(range(6, LENGTH));
      expect(seqsOf(await collect(paged.readHistory(userId, sessionId, { afterSeq: LENGTH })))).toEqual([]);
      for (const pageSize of [1, 4, PAGE, LENGTH, 100]) {
        expect(seqsOf(await collect(paged.readHistory(userId, sessionId, { pageSize }))), `pageSize ${pageSize}`).toEqual(range(1, LENGTH));
      }
      expect(seqsOf(await collect(ctx.store.readHistory(userId, sessionId))), 'with the default page size').toEqual(range(1, LENGTH));
      expect(seqsOf(await collect(ctx.store.session(userId, sessionId).history({ afterSeq: 20 })))).toEqual([21, 22, 23]);
    });

    it('readHistory of a missing session yields nothing and creates nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await collect(paged.readHistory(userId, sessionId))).toEqual([]);
      expect(await paged.getSession(userId, sessionId)).toBeNull();
    });
  });
}
