import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SessionStore, TrimSessionOptions } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged, jsonForm, present, range, seqsOf, sleep } from '../helpers.js';
import { containing, marked, markersFor } from '../markers.js';
import type { RawInspector } from '../types.js';
import { SLIDE_TTL_MS, expectWriteTouches } from '../write-checks.js';

/** trimSession: removes a prefix of the history (retention), never changing lastSeq. */
export function trimBehaviour(ctx: SuiteContext): void {
  describe('trimSession', () => {
    it('removes every message below beforeSeq, returns how many, and keeps the rest exactly', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const messages = chatMessages(5);
      await ctx.store.append(userId, sessionId, messages);
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 3 })).toBe(2);
      const held = await ctx.store.getMessages(userId, sessionId);
      expect(seqsOf(held)).toEqual([3, 4, 5]);
      expect(held.map((m) => m.message)).toEqual(jsonForm(messages.slice(2)));
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 3, lastSeq: 5 });
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 3 }), 'nothing left below 3').toBe(0);
    });

    it('removes nothing at beforeSeq 0 or 1, everything past the newest, and never changes lastSeq', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(5));
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 0 })).toBe(0);
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 1 })).toBe(0);
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 5, lastSeq: 5 });
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 100 })).toBe(5);
      expect(await ctx.store.getSession(userId, sessionId)).toMatchObject({ messageCount: 0, lastSeq: 5, messages: [] });
      // Later appends continue after lastSeq: a seq is never reused.
      expect(await ctx.store.append(userId, sessionId, chatMessages(2))).toEqual({ firstSeq: 6, lastSeq: 7, duplicate: false });
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 7 })).toBe(1);
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual([7]);
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 1, lastSeq: 7 });
    });

    it('counts only the messages it held (gaps after replaceTail and pop)', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(6));
      await ctx.store.replaceTail(userId, sessionId, { afterSeq: 4, messages: chatMessages(2, 'r') });
      await ctx.store.popMessage(userId, sessionId);
      // Held: 1, 2, 3, 4, 7.
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 7 })).toBe(4);
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual([7]);
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 1, lastSeq: 8 });
    });

    it('is 0 for a missing session and creates nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 5 })).toBe(0);
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      expect((await ctx.store.listSessions(userId)).items).toEqual([]);
    });

    it('bumps updatedAt and slides the TTL, keeping createdAt and metadata', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { keep: 'me' }, ttlMs: SLIDE_TTL_MS });
      await ctx.store.append(userId, sessionId, chatMessages(4));
      await expectWriteTouches(ctx, userId, sessionId, () => ctx.store.trimSession(userId, sessionId, { beforeSeq: 3 }));
    });

    it('checks beforeSeq: anything but a non-negative integer is INVALID_ARGUMENT and removes nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const before = await ctx.store.getSession(userId, sessionId);
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      for (const beforeSeq of [-1, 1.5, Number.NaN, '2' as unknown as number, undefined as unknown as number]) {
        await expectCode(ctx.store.trimSession(userId, sessionId, { beforeSeq }), 'INVALID_ARGUMENT');
      }
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      await expectCode(ctx.store.trimSession(userId, sessionId, undefined as unknown as TrimSessionOptions), 'INVALID_ARGUMENT');
      await expectUnchanged(ctx.store, userId, sessionId, before);
    });

    describe('concurrency (separate clients)', () => {
      const n = ctx.capabilities.concurrentWriters;
      let writers: SessionStore<JsonObject>[] = [];
      beforeAll(async () => {
        writers = await Promise.all(range(1, n).map(() => ctx.openStore()));
      });
      afterAll(async () => {
        await Promise.all(writers.map((store) => ctx.closeStore(store)));
      });

      it(`trimming while ${n} clients append loses no message at or above beforeSeq`, async () => {
        const { userId, sessionId } = ctx.freshIds();
        await ctx.store.append(userId, sessionId, chatMessages(20));
        const trimmer = present(writers[0], 'a writer');
        const appended: Array<{ firstSeq: number; messages: JsonObject[] }> = [];
        await Promise.all([
          ...writers.map(async (store, writer) => {
            for (let call = 0; call < 5; call++) {
              const messages = [{ writer, call, part: 0 }, { writer, call, part: 1 }];
              appended.push({ firstSeq: (await store.append(userId, sessionId, messages)).firstSeq, messages });
              await sleep(0); // interleave with the other client even on a store without I/O
            }
          }),
          (async () => {
            for (const beforeSeq of [5, 10, 15, 21]) {
              await trimmer.trimSession(userId, sessionId, { beforeSeq });
              await sleep(0);
            }
          })(),
        ]);
        const total = 20 + n * 5 * 2;
        const log = await ctx.store.getMessages(userId, sessionId);
        expect(seqsOf(log)).toEqual(range(21, total));
        const bySeq = new Map(log.map((m) => [m.seq, m.message]));
        for (const { firstSeq, messages } of appended) messages.forEach((message, i) => expect(bySeq.get(firstSeq + i)).toEqual(message));
        expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: total - 20, lastSeq: total });
      });
    });

    describe.runIf(ctx.factory.inspector !== undefined)('raw records (inspector)', () => {
      const inspect = (): RawInspector => present(ctx.inspector, 'the inspector');

      it('leaves no record of a trimmed message', async () => {
        const { userId, sessionId } = ctx.freshIds();
        const markers = markersFor(sessionId, 5);
        await ctx.store.append(userId, sessionId, markers.map(marked));
        expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 4 })).toBe(3);
        const records = await inspect().sessionRecords(userId, sessionId);
        markers.forEach((marker, i) => {
          if (i < 3) expect(containing(records, marker), `${marker} was trimmed`).toEqual([]);
          else expect(containing(records, marker).length, `${marker} is held`).toBeGreaterThan(0);
        });
        await ctx.store.trimSession(userId, sessionId, { beforeSeq: 100 });
        const emptied = await inspect().sessionRecords(userId, sessionId);
        for (const marker of markers) expect(containing(emptied, marker)).toEqual([]);
        expect(emptied.length, 'the session record itself stays').toBeGreaterThan(0);
      });
    });
  });
}
