import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, ReplaceTailResult, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged, jsonForm, present, range, seqsOf, sleep } from '../helpers.js';
import { containing, marked, markersFor } from '../markers.js';
import type { RawInspector } from '../types.js';
import { SLIDE_TTL_MS, expectWriteTouches } from '../write-checks.js';

/** Messages kept below every replacement of the concurrency test. */
const PREFIX = 10;
/** Append calls per writer, and replacements, in the concurrency test. */
const CALLS_PER_WRITER = 6;
const REPLACEMENTS = 6;
const BATCH = 3;

interface Tagged extends JsonObject {
  by: string;
  call: number;
  part: number;
}

/**
 * replaceTail: removes every message above `afterSeq` and appends new ones with new seqs, in
 * one atomic step (compaction with `afterSeq: 0`, truncation with `messages: []`), with the
 * idempotency and compare-and-append rules of append.
 */
export function replaceTailBehaviour(ctx: SuiteContext): void {
  describe('replaceTail', () => {
    it('with afterSeq 0 replaces the whole history, the new messages taking seqs after lastSeq (compaction)', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(5));
      const summary = { role: 'system', content: 'summary of 1-5' };
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [summary] })).toEqual({
        removed: 5,
        firstSeq: 6,
        lastSeq: 6,
        duplicate: false,
      });
      const session = present(await ctx.store.getSession(userId, sessionId), 'the session');
      expect(session).toMatchObject({ messageCount: 1, lastSeq: 6 });
      expect(session.messages.map((m) => ({ seq: m.seq, message: m.message }))).toEqual([{ seq: 6, message: summary }]);
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toEqual({ firstSeq: 7, lastSeq: 7, duplicate: false });
    });

    it('removes only the messages above afterSeq and keeps the rest exactly', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const original = chatMessages(5, 'orig');
      await ctx.store.append(userId, sessionId, original);
      const replacement = chatMessages(2, 'new');
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 3, messages: replacement })).toEqual({
        removed: 2,
        firstSeq: 6,
        lastSeq: 7,
        duplicate: false,
      });
      const messages = await ctx.store.getMessages(userId, sessionId);
      expect(seqsOf(messages)).toEqual([1, 2, 3, 6, 7]);
      expect(messages.map((m) => m.message)).toEqual(jsonForm([...original.slice(0, 3), ...replacement]));
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 5, lastSeq: 7 });
    });

    it('with messages [] truncates, and later seqs still continue after lastSeq (never reused)', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(5));
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 2, messages: [] })).toEqual({
        removed: 3,
        firstSeq: 6,
        lastSeq: 5,
        duplicate: false,
      });
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual([1, 2]);
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 2, lastSeq: 5 });
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [] })).toEqual({
        removed: 2,
        firstSeq: 6,
        lastSeq: 5,
        duplicate: false,
      });
      expect(await ctx.store.getSession(userId, sessionId)).toMatchObject({ messageCount: 0, lastSeq: 5, messages: [] });
      expect(await ctx.store.append(userId, sessionId, chatMessages(1))).toMatchObject({ firstSeq: 6, lastSeq: 6 });
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(2) })).toEqual({
        removed: 1,
        firstSeq: 7,
        lastSeq: 8,
        duplicate: false,
      });
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual([7, 8]);
    });

    it('removes nothing when afterSeq is at or above the newest message', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 3, messages: chatMessages(1, 'x') })).toEqual({
        removed: 0,
        firstSeq: 4,
        lastSeq: 4,
        duplicate: false,
      });
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 99, messages: [] })).toEqual({
        removed: 0,
        firstSeq: 5,
        lastSeq: 4,
        duplicate: false,
      });
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual([1, 2, 3, 4]);
    });

    it('counts only the messages it held as removed (after pop and trim)', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(6));
      await ctx.store.popMessage(userId, sessionId);
      expect(await ctx.store.trimSession(userId, sessionId, { beforeSeq: 3 })).toBe(2);
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 3, messages: chatMessages(1, 'r') })).toEqual({
        removed: 2,
        firstSeq: 7,
        lastSeq: 7,
        duplicate: false,
      });
      expect(seqsOf(await ctx.store.getMessages(userId, sessionId))).toEqual([3, 7]);
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 2, lastSeq: 7 });
    });

    it('creates a missing session when it has messages; with none it creates nothing and answers the empty range', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(2) })).toEqual({
        removed: 0,
        firstSeq: 1,
        lastSeq: 2,
        duplicate: false,
      });
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 2, lastSeq: 2, metadata: {} });
      const empty = ctx.freshIds();
      expect(await ctx.store.replaceTail(empty.userId, empty.sessionId, { afterSeq: 0, messages: [] })).toEqual({
        removed: 0,
        firstSeq: 1,
        lastSeq: 0,
        duplicate: false,
      });
      expect(await ctx.store.getSession(empty.userId, empty.sessionId)).toBeNull();
      expect((await ctx.store.listSessions(empty.userId)).items).toEqual([]);
    });

    it('with create: false is NOT_FOUND on a missing session, creates nothing and records no key', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) }, { create: false }), 'NOT_FOUND');
      await expectCode(
        ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) }, { create: false, idempotencyKey: 'k' }),
        'NOT_FOUND',
      );
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      await ctx.store.createSession(userId, { sessionId });
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) }, { create: false, idempotencyKey: 'k' })).toEqual({
        removed: 0,
        firstSeq: 1,
        lastSeq: 1,
        duplicate: false,
      });
    });

    it('compare-and-append: a stale expectedLastSeq is CONFLICT and removes nothing; lastSeq (not messageCount) is what counts', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const before = await ctx.store.getSession(userId, sessionId);
      const error = await expectCode(ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) }, { expectedLastSeq: 2 }), 'CONFLICT');
      expect(error.retryable).toBe(true);
      await expectCode(ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [] }, { expectedLastSeq: 4 }), 'CONFLICT');
      await expectUnchanged(ctx.store, userId, sessionId, before);
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) }, { expectedLastSeq: 3 })).toEqual({
        removed: 3,
        firstSeq: 4,
        lastSeq: 4,
        duplicate: false,
      });
      // After a truncation the session holds nothing, but its lastSeq is still 4.
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [] }, { expectedLastSeq: 4 })).toMatchObject({ removed: 1, lastSeq: 4 });
      await expectCode(ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) }, { expectedLastSeq: 0 }), 'CONFLICT');
      expect(await ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 4 })).toMatchObject({ firstSeq: 5 });
      // A missing session has lastSeq 0.
      const missing = ctx.freshIds();
      await expectCode(ctx.store.replaceTail(missing.userId, missing.sessionId, { afterSeq: 0, messages: chatMessages(1) }, { expectedLastSeq: 1 }), 'CONFLICT');
      expect(await ctx.store.getSession(missing.userId, missing.sessionId)).toBeNull();
      expect(await ctx.store.replaceTail(missing.userId, missing.sessionId, { afterSeq: 0, messages: chatMessages(1) }, { expectedLastSeq: 0 })).toMatchObject({
        firstSeq: 1,
      });
    });

    it('idempotent retry: the same key returns the first result with duplicate: true and changes nothing, before expectedLastSeq', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(4));
      const first = await ctx.store.replaceTail(userId, sessionId, { afterSeq: 1, messages: chatMessages(2, 'r') }, { idempotencyKey: 'turn-1' });
      expect(first).toEqual({ removed: 3, firstSeq: 5, lastSeq: 6, duplicate: false });
      await ctx.store.append(userId, sessionId, chatMessages(1, 'later'));
      const before = await ctx.store.getSession(userId, sessionId);
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 1, messages: chatMessages(2, 'r') }, { idempotencyKey: 'turn-1' })).toEqual({
        ...first,
        duplicate: true,
      });
      // The key is checked first: different content, another afterSeq or a stale expectedLastSeq change nothing.
      expect(
        await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(3, 'other') }, { idempotencyKey: 'turn-1', expectedLastSeq: 1 }),
      ).toEqual({ ...first, duplicate: true });
      await expectUnchanged(ctx.store, userId, sessionId, before);
      expect(seqsOf(present(before).messages)).toEqual([1, 5, 6, 7]);
      // Keys live as long as the session: a clear or a truncation does not forget them.
      await ctx.store.clearSession(userId, sessionId);
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(2, 'r') }, { idempotencyKey: 'turn-1' })).toEqual({
        ...first,
        duplicate: true,
      });
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 0, lastSeq: 7 });
    });

    it('shares one idempotency key space with append', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const appended = await ctx.store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'by-append' });
      const before = await ctx.store.getSession(userId, sessionId);
      expect(await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1, 'x') }, { idempotencyKey: 'by-append' })).toEqual({
        removed: 0,
        firstSeq: appended.firstSeq,
        lastSeq: appended.lastSeq,
        duplicate: true,
      });
      await expectUnchanged(ctx.store, userId, sessionId, before);
      const replaced = await ctx.store.replaceTail(userId, sessionId, { afterSeq: 1, messages: chatMessages(2, 'y') }, { idempotencyKey: 'by-replace' });
      expect(replaced).toEqual({ removed: 1, firstSeq: 3, lastSeq: 4, duplicate: false });
      const after = await ctx.store.getSession(userId, sessionId);
      expect(await ctx.store.append(userId, sessionId, chatMessages(1, 'z'), { idempotencyKey: 'by-replace' })).toEqual({
        firstSeq: 3,
        lastSeq: 4,
        duplicate: true,
      });
      await expectUnchanged(ctx.store, userId, sessionId, after);
    });

    it('bumps updatedAt and slides the TTL, keeping createdAt and metadata (also when it only truncates)', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { keep: 'me' }, ttlMs: SLIDE_TTL_MS });
      await ctx.store.append(userId, sessionId, chatMessages(3));
      await expectWriteTouches(ctx, userId, sessionId, () => ctx.store.replaceTail(userId, sessionId, { afterSeq: 1, messages: chatMessages(1) }));
      await expectWriteTouches(ctx, userId, sessionId, () => ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [] }));
    });

    it('checks its input: bad afterSeq, messages not an array, one bad message: INVALID_ARGUMENT, nothing removed', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const before = await ctx.store.getSession(userId, sessionId);
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      for (const afterSeq of [-1, 1.5, Number.NaN, '1' as unknown as number, undefined as unknown as number]) {
        await expectCode(ctx.store.replaceTail(userId, sessionId, { afterSeq, messages: chatMessages(1) }), 'INVALID_ARGUMENT');
      }
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      await expectCode(ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: { role: 'user' } as unknown as JsonObject[] }), 'INVALID_ARGUMENT');
      await expectCode(ctx.store.replaceTail(userId, sessionId, null as unknown as { afterSeq: number; messages: JsonObject[] }), 'INVALID_ARGUMENT');
      await expectCode(
        // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
        ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [...chatMessages(1), { at: new Date() } as unknown as JsonObject] }),
        'INVALID_ARGUMENT',
      );
      await expectCode(ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) }, { idempotencyKey: '' }), 'INVALID_ARGUMENT');
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

      it(`is atomic under ${n} concurrent appenders: the history is the kept prefix, the last replacement, then whole batches`, async () => {
        const { userId, sessionId } = ctx.freshIds();
        const prefix = chatMessages(PREFIX, 'prefix');
        await ctx.store.append(userId, sessionId, prefix);
        const tagged = (by: string, call: number, size: number): Tagged[] => range(0, size - 1).map((part) => ({ by, call, part }));
        const appends: Array<{ firstSeq: number; lastSeq: number; messages: Tagged[] }> = [];
        const replacements: Array<{ result: ReplaceTailResult; messages: Tagged[] }> = [];
        const replacer = present(writers[0], 'a writer');
        await Promise.all([
          ...writers.map(async (store, writer) => {
            for (let call = 0; call < CALLS_PER_WRITER; call++) {
              const messages = tagged(`w${writer}`, call, BATCH);
              const result = await store.append(userId, sessionId, messages);
              appends.push({ firstSeq: result.firstSeq, lastSeq: result.lastSeq, messages });
              // Yield to the event loop, so that writers and the replacer interleave even on a
              // store that answers without any I/O.
              await sleep(0);
            }
          }),
          (async () => {
            for (let call = 0; call < REPLACEMENTS; call++) {
              const messages = tagged('replacer', call, 2);
              replacements.push({ result: await replacer.replaceTail(userId, sessionId, { afterSeq: PREFIX, messages }), messages });
              await sleep(0);
            }
          })(),
        ]);

        // Every seq above the prefix was given out once, to one call, as a contiguous block.
        const blocks = [...appends.map((a) => [a.firstSeq, a.lastSeq]), ...replacements.map((r) => [r.result.firstSeq, r.result.lastSeq])];
        const given = blocks.flatMap(([first = 0, last = 0]) => range(first, last)).sort((a, b) => a - b);
        const lastSeq = PREFIX + n * CALLS_PER_WRITER * BATCH + REPLACEMENTS * 2;
        expect(given, 'seqs are given out once each, never reused').toEqual(range(PREFIX + 1, lastSeq));

        // Seqs order the calls: each replacement removed exactly the previous replacement and
        // the batches appended between the two (a replacement done in two steps is caught here).
        let previous = PREFIX;
        for (const [k, r] of [...replacements].sort((a, b) => a.result.firstSeq - b.result.firstSeq).entries()) {
          const between = appends.filter((a) => a.firstSeq > previous && a.firstSeq < r.result.firstSeq);
          const removed = (k === 0 ? 0 : 2) + between.reduce((sum, a) => sum + a.messages.length, 0);
          expect(r.result.removed, `replacement ${k} (seqs ${r.result.firstSeq}-${r.result.lastSeq})`).toBe(removed);
          previous = r.result.lastSeq;
        }

        // The final history: the prefix, the newest replacement, then every batch appended after it, whole.
        const newest = present(replacements.reduce<(typeof replacements)[number] | undefined>((a, r) => (!a || r.result.firstSeq > a.result.firstSeq ? r : a), undefined));
        const after = appends.filter((a) => a.firstSeq > newest.result.lastSeq).sort((a, b) => a.firstSeq - b.firstSeq);
        const expected = [
          ...prefix.map((message, i) => ({ seq: i + 1, message })),
          ...newest.messages.map((message, i) => ({ seq: newest.result.firstSeq + i, message })),
          ...after.flatMap((a) => a.messages.map((message, i) => ({ seq: a.firstSeq + i, message }))),
        ];
        const log = await ctx.store.getMessages(userId, sessionId);
        expect(log.map((m) => ({ seq: m.seq, message: m.message }))).toEqual(expected);
        expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: expected.length, lastSeq });
      });

      it('concurrent replacements with one idempotency key replace once', async () => {
        const { userId, sessionId } = ctx.freshIds();
        await ctx.store.append(userId, sessionId, chatMessages(4));
        const results = await Promise.all(
          writers.map((store, writer) => store.replaceTail(userId, sessionId, { afterSeq: 2, messages: [{ writer }] }, { idempotencyKey: 'once' })),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        for (const result of results) expect(result).toEqual({ removed: 2, firstSeq: 5, lastSeq: 5, duplicate: result.duplicate });
        expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 3, lastSeq: 5 });
      });

      it('concurrent compare-and-replace: exactly one writer wins each round, the others get CONFLICT', async () => {
        const { userId, sessionId } = ctx.freshIds();
        let lastSeq = 0;
        for (let round = 0; round < 4; round++) {
          const outcomes = await Promise.allSettled(
            writers.map((store, writer) =>
              store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [{ writer, round }, { writer, round, part: 2 }] }, { expectedLastSeq: lastSeq }),
            ),
          );
          const winners = outcomes.filter((o): o is PromiseFulfilledResult<ReplaceTailResult> => o.status === 'fulfilled');
          expect(winners, `round ${round}`).toHaveLength(1);
          expect(present(winners[0]).value).toEqual({ removed: round === 0 ? 0 : 2, firstSeq: lastSeq + 1, lastSeq: lastSeq + 2, duplicate: false });
          for (const lost of outcomes.filter((o) => o.status === 'rejected')) await expectCode(Promise.reject(lost.reason), 'CONFLICT');
          lastSeq += 2;
        }
        const log = await ctx.store.getMessages(userId, sessionId);
        expect(seqsOf(log)).toEqual([lastSeq - 1, lastSeq]);
        expect(present(log[0]).message['writer']).toBe(present(log[1]).message['writer']);
      });
    });

    describe.runIf(ctx.factory.inspector !== undefined)('raw records (inspector)', () => {
      const inspect = (): RawInspector => present(ctx.inspector, 'the inspector');

      it('leaves no record of a removed message, and keeps the records of the rest', async () => {
        const { userId, sessionId } = ctx.freshIds();
        const [m1 = '', m2 = '', m3 = '', m4 = ''] = markersFor(sessionId, 4);
        const [r1 = '', r2 = ''] = markersFor(sessionId, 2, 'r');
        await ctx.store.append(userId, sessionId, [m1, m2, m3, m4].map(marked), { idempotencyKey: 'raw' });
        await ctx.store.replaceTail(userId, sessionId, { afterSeq: 2, messages: [marked(r1)] });
        const records = await inspect().sessionRecords(userId, sessionId);
        for (const gone of [m3, m4]) expect(containing(records, gone), `${gone} was removed`).toEqual([]);
        for (const kept of [m1, m2, r1]) expect(containing(records, kept).length, `${kept} is held`).toBeGreaterThan(0);
        await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [marked(r2)] });
        const compacted = await inspect().sessionRecords(userId, sessionId);
        for (const gone of [m1, m2, m3, m4, r1]) expect(containing(compacted, gone), `${gone} was removed`).toEqual([]);
        expect(containing(compacted, r2).length).toBeGreaterThan(0);
        await ctx.store.replaceTail(userId, sessionId, { afterSeq: 0, messages: [] });
        const truncated = await inspect().sessionRecords(userId, sessionId);
        expect(containing(truncated, r2)).toEqual([]);
        expect(truncated.length, 'the session record itself stays').toBeGreaterThan(0);
      });
    });
  });
}
