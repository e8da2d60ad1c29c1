import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, MessageRewrite, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged, jsonForm, present, range, seqsOf, sleep } from '../helpers.js';
import { containing, marked, markersFor } from '../markers.js';
import type { RawInspector } from '../types.js';
import { SLIDE_TTL_MS, expectWriteTouches } from '../write-checks.js';
import { messageOfBytes } from './limits.js';
import { chatMessageSchema } from './message-schema.js';

const SMALL_LIMIT = 200;

/**
 * rewriteMessages: replaces the content of held messages in place (same seq, same createdAt),
 * reports seqs no longer held without writing them, validates like append.
 */
export function rewriteBehaviour(ctx: SuiteContext): void {
  describe('rewriteMessages', () => {
    it('replaces the content in place, keeping seq, createdAt, lastSeq and messageCount', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const original = chatMessages(3, 'orig');
      await ctx.store.append(userId, sessionId, original);
      const before = await ctx.store.getMessages(userId, sessionId);
      await sleep(5);
      const redacted = { role: 'assistant', content: '[redacted]', nested: { kept: [1, 'two'] } };
      expect(await ctx.store.rewriteMessages(userId, sessionId, [{ seq: 2, message: redacted }])).toEqual({ rewritten: 1, missing: [] });
      const after = await ctx.store.getMessages(userId, sessionId);
      expect(after.map((m) => ({ seq: m.seq, createdAt: m.createdAt.getTime() }))).toEqual(before.map((m) => ({ seq: m.seq, createdAt: m.createdAt.getTime() })));
      expect(after.map((m) => m.message)).toEqual(jsonForm([original[0], redacted, original[2]]));
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 3, lastSeq: 3 });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toMatchObject({ firstSeq: 4 });
    });

    it('rewrites several messages in one call, given in any order', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(4, 'orig'));
      const rewrites: MessageRewrite<JsonObject>[] = [
        { seq: 4, message: { v: 4 } },
        { seq: 1, message: { v: 1 } },
        { seq: 3, message: { v: 3 } },
      ];
      expect(await ctx.store.rewriteMessages(userId, sessionId, rewrites)).toEqual({ rewritten: 3, missing: [] });
      expect((await ctx.store.getMessages(userId, sessionId)).map((m) => m.message)).toEqual([{ v: 1 }, chatMessages(4, 'orig')[1], { v: 3 }, { v: 4 }]);
    });

    it('reports seqs no longer held in missing, in ascending order, and never resurrects them', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(6));
      await ctx.store.popMessage(userId, sessionId);
      await ctx.store.trimSession(userId, sessionId, { beforeSeq: 3 });
      // Held: 3, 4, 5. 1 and 2 were trimmed, 6 popped, 9 never given out.
      const result = await ctx.store.rewriteMessages(userId, sessionId, [9, 6, 3, 1].map((seq) => ({ seq, message: { v: seq } })));
      expect(result).toEqual({ rewritten: 1, missing: [1, 6, 9] });
      const held = await ctx.store.getMessages(userId, sessionId);
      expect(seqsOf(held)).toEqual([3, 4, 5]);
      expect(present(held[0]).message).toEqual({ v: 3 });
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 3, lastSeq: 6 });
      await ctx.store.clearSession(userId, sessionId);
      expect(await ctx.store.rewriteMessages(userId, sessionId, [{ seq: 4, message: { v: 4 } }])).toEqual({ rewritten: 0, missing: [4] });
      expect(await ctx.store.getSession(userId, sessionId)).toMatchObject({ messageCount: 0, lastSeq: 6, messages: [] });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toMatchObject({ firstSeq: 7 });
    });

    it('is NOT_FOUND for a missing session, which it does not create', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.rewriteMessages(userId, sessionId, [{ seq: 1, message: { v: 1 } }]), 'NOT_FOUND');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });

    it('compare-and-rewrite: a stale expectedLastSeq is CONFLICT and writes nothing; a current one passes', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      await ctx.store.popMessage(userId, sessionId);
      const before = await ctx.store.getSession(userId, sessionId);
      // lastSeq is 3 although the session holds 2 messages.
      await expectCode(ctx.store.rewriteMessages(userId, sessionId, [{ seq: 1, message: { v: 1 } }], { expectedLastSeq: 2 }), 'CONFLICT');
      await expectUnchanged(ctx.store, userId, sessionId, before);
      expect(await ctx.store.rewriteMessages(userId, sessionId, [{ seq: 1, message: { v: 1 } }], { expectedLastSeq: 3 })).toEqual({ rewritten: 1, missing: [] });
      expect(present((await ctx.store.getMessages(userId, sessionId))[0]).message).toEqual({ v: 1 });
    });

    it('is INVALID_ARGUMENT, writing nothing, for a seq given twice, a bad seq, a bad message or no array', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const before = await ctx.store.getSession(userId, sessionId);
      const bad: unknown[] = [
        [{ seq: 1, message: { v: 1 } }, { seq: 2, message: { v: 2 } }, { seq: 1, message: { v: 3 } }],
        [{ seq: 0, message: { v: 1 } }],
        [{ seq: -1, message: { v: 1 } }],
        [{ seq: 1.5, message: { v: 1 } }],
        [{ seq: '1', message: { v: 1 } }],
        [{ seq: 1, message: { v: 1 } }, null],
        [{ seq: 1, message: { v: 1 } }, { seq: 2, message: { at: new Date() } }],
        [{ seq: 1, message: 'text' }],
        { seq: 1, message: { v: 1 } },
      ];
      for (const rewrites of bad) {
        await expectCode(ctx.store.rewriteMessages(userId, sessionId, rewrites as MessageRewrite<JsonObject>[]), 'INVALID_ARGUMENT');
      }
      await expectUnchanged(ctx.store, userId, sessionId, before);
    });

    describe('validates each message as append does', () => {
      let small: SessionStore<JsonObject>;
      let typed: SessionStore<JsonObject>;
      beforeAll(async () => {
        small = await ctx.openStore({ maxMessageBytes: SMALL_LIMIT });
        typed = await ctx.openStore({ messageSchema: chatMessageSchema });
      });
      afterAll(async () => {
        await Promise.all([ctx.closeStore(small), ctx.closeStore(typed)]);
      });

      it(`a message over maxMessageBytes (${SMALL_LIMIT}) is TOO_LARGE and nothing is written; exactly the limit fits`, async () => {
        const { userId, sessionId } = ctx.freshIds();
        await small.append(userId, sessionId, chatMessages(2));
        const before = await small.getSession(userId, sessionId);
        await expectCode(
          small.rewriteMessages(userId, sessionId, [
            { seq: 1, message: { v: 1 } },
            { seq: 2, message: messageOfBytes(SMALL_LIMIT + 1) },
          ]),
          'TOO_LARGE',
        );
        await expectUnchanged(small, userId, sessionId, before);
        expect(await small.rewriteMessages(userId, sessionId, [{ seq: 2, message: messageOfBytes(SMALL_LIMIT) }])).toEqual({ rewritten: 1, missing: [] });
      });

      it('the messageSchema rejects a bad message (INVALID_ARGUMENT, nothing written) and its output is what is stored', async () => {
        const { userId, sessionId } = ctx.freshIds();
        await typed.append(userId, sessionId, [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
        ]);
        const before = await typed.getSession(userId, sessionId);
        await expectCode(
          typed.rewriteMessages(userId, sessionId, [
            { seq: 1, message: { role: 'user', content: 'ok' } },
            { seq: 2, message: { role: 'robot', content: 'no' } },
          ]),
          'INVALID_ARGUMENT',
        );
        await expectUnchanged(typed, userId, sessionId, before);
        await typed.rewriteMessages(userId, sessionId, [{ seq: 2, message: { role: 'assistant', content: 'B', extra: 'dropped' } }]);
        expect(present((await typed.getMessages(userId, sessionId))[1]).message).toEqual({ role: 'assistant', content: 'B' });
      });
    });

    it('bumps updatedAt and slides the TTL, keeping createdAt and metadata', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { keep: 'me' }, ttlMs: SLIDE_TTL_MS });
      await ctx.store.append(userId, sessionId, chatMessages(2));
      await expectWriteTouches(ctx, userId, sessionId, () => ctx.store.rewriteMessages(userId, sessionId, [{ seq: 1, message: { v: 1 } }]));
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

      it(`rewriting while ${n} clients append loses no appended message and rewrites only what it names`, async () => {
        const { userId, sessionId } = ctx.freshIds();
        const prefix = 10;
        await ctx.store.append(userId, sessionId, chatMessages(prefix));
        const rewriter = present(writers[0], 'a writer');
        const rounds = 5;
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
            for (let round = 1; round <= rounds; round++) {
              const result = await rewriter.rewriteMessages(userId, sessionId, range(1, prefix).map((seq) => ({ seq, message: { round, seq } })));
              expect(result).toEqual({ rewritten: prefix, missing: [] });
              await sleep(0);
            }
          })(),
        ]);
        const total = prefix + n * 5 * 2;
        const log = await ctx.store.getMessages(userId, sessionId);
        expect(seqsOf(log)).toEqual(range(1, total));
        const bySeq = new Map(log.map((m) => [m.seq, m.message]));
        for (const seq of range(1, prefix)) expect(bySeq.get(seq)).toEqual({ round: rounds, seq });
        for (const { firstSeq, messages } of appended) messages.forEach((message, i) => expect(bySeq.get(firstSeq + i)).toEqual(message));
        expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: total, lastSeq: total });
      });
    });

    describe.runIf(ctx.factory.inspector !== undefined)('raw records (inspector)', () => {
      const inspect = (): RawInspector => present(ctx.inspector, 'the inspector');

      it('leaves no trace of the content it replaced', async () => {
        const { userId, sessionId } = ctx.freshIds();
        const [m1 = '', m2 = '', m3 = ''] = markersFor(sessionId, 3);
        const [r2 = ''] = markersFor(sessionId, 1, 'r');
        await ctx.store.append(userId, sessionId, [m1, m2, m3].map(marked));
        await ctx.store.rewriteMessages(userId, sessionId, [{ seq: 2, message: marked(r2) }]);
        const records = await inspect().sessionRecords(userId, sessionId);
        expect(containing(records, m2), 'the old content is gone').toEqual([]);
        for (const held of [m1, r2, m3]) expect(containing(records, held).length, `${held} is held`).toBeGreaterThan(0);
      });
    });
  });
}
