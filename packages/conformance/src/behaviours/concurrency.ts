import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendResult, JsonObject, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, present, range, seqsOf } from '../helpers.js';

/** How many append calls each writer makes (alternating single messages and batches of 3). */
const CALLS_PER_WRITER = 12;
const BATCH = 3;

interface WriterMessage extends JsonObject {
  writer: number;
  i: number;
}

/**
 * Rule 1 across processes: N writers, each its own store (its own client) over the same
 * namespace, append to one session at once; then the log is checked for loss, doubles, each
 * writer's order and contiguous batches. Also racing creates, pops and compare-and-appends.
 */
export function concurrencyBehaviour(ctx: SuiteContext): void {
  describe('concurrency (separate clients)', () => {
    const n = ctx.capabilities.concurrentWriters;
    let writers: SessionStore<JsonObject>[] = [];

    beforeAll(async () => {
      writers = await Promise.all(range(1, n).map(() => ctx.openStore()));
    });
    afterAll(async () => {
      await Promise.all(writers.map((store) => ctx.closeStore(store)));
    });

    it(`${n} writers appending singles and batches to one session lose nothing, double nothing, keep order`, async () => {
      const { userId, sessionId } = ctx.freshIds();
      const results = await Promise.all(
        writers.map(async (store, writer) => {
          const mine: Array<{ result: AppendResult; size: number; first: number }> = [];
          let i = 0;
          for (let call = 0; call < CALLS_PER_WRITER; call++) {
            const size = call % 2 === 0 ? 1 : BATCH;
            const batch: WriterMessage[] = range(i, i + size - 1).map((k) => ({ writer, i: k }));
            const result = await store.append(userId, sessionId, size === 1 ? present(batch[0]) : batch);
            mine.push({ result, size, first: i });
            i += size;
          }
          return mine;
        }),
      );
      const perWriter = (CALLS_PER_WRITER / 2) * (1 + BATCH);
      const total = n * perWriter;
      const log = await ctx.store.getMessages(userId, sessionId);
      expect(seqsOf(log), 'seqs 1..total, each once').toEqual(range(1, total));
      const bySeq = new Map(log.map((m) => [m.seq, m.message as WriterMessage]));
      for (let writer = 0; writer < n; writer++) {
        const own = log.filter((m) => (m.message as WriterMessage).writer === writer).map((m) => (m.message as WriterMessage).i);
        expect(own, `writer ${writer}: every message once, in its own order`).toEqual(range(0, perWriter - 1));
        for (const { result, size, first } of present(results[writer])) {
          expect(result.duplicate).toBe(false);
          expect(result.lastSeq - result.firstSeq + 1, 'a batch gets contiguous seqs').toBe(size);
          for (let k = 0; k < size; k++) expect(bySeq.get(result.firstSeq + k)).toEqual({ writer, i: first + k });
        }
      }
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: total, lastSeq: total });
    });

    it('racing getOrCreateSession on separate clients creates each session exactly once', async () => {
      const { userId } = ctx.freshIds();
      for (const sessionId of ['r1', 'r2', 'r3']) {
        const results = await Promise.all(writers.map((store, i) => store.getOrCreateSession(userId, sessionId, { metadata: { by: i } })));
        expect(results.filter((r) => r.created), sessionId).toHaveLength(1);
        const by = present(results.find((r) => r.created), 'the creating call').metadata['by'];
        for (const result of results) expect(result.metadata).toEqual({ by });
      }
      expect((await ctx.store.listSessions(userId)).items).toHaveLength(3);
    });

    it('racing createSession and first appends: one create wins, the rest are ALREADY_EXISTS, no append is lost', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const creates = await Promise.allSettled(writers.map((store) => store.createSession(userId, { sessionId })));
      expect(creates.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const failed of creates.filter((r) => r.status === 'rejected')) await expectCode(Promise.reject(failed.reason), 'ALREADY_EXISTS');
      const fresh = ctx.freshIds();
      await Promise.all(writers.map((store, writer) => store.append(fresh.userId, fresh.sessionId, { writer, i: 0 })));
      expect(seqsOf(await ctx.store.getMessages(fresh.userId, fresh.sessionId))).toEqual(range(1, n));
    });

    it('concurrent pops on separate clients never return the same message', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const total = n * 4;
      await ctx.store.append(userId, sessionId, chatMessages(total));
      const popped = await Promise.all(
        writers.map(async (store) => {
          const mine: number[] = [];
          for (;;) {
            const message = await store.popMessage(userId, sessionId);
            if (message === null) return mine;
            mine.push(message.seq);
          }
        }),
      );
      expect(popped.flat().sort((a, b) => a - b)).toEqual(range(1, total));
      // Each client pops newest first: its own pops are strictly decreasing.
      for (const mine of popped) expect(mine).toEqual([...mine].sort((a, b) => b - a));
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 0, lastSeq: total });
    });

    it('concurrent compare-and-appends: exactly one writer wins each round, losers get CONFLICT', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const rounds = 5;
      for (let round = 0; round < rounds; round++) {
        const outcomes = await Promise.allSettled(
          writers.map((store, writer) => store.append(userId, sessionId, [{ writer, round }, { writer, round, part: 2 }], { expectedLastSeq: round * 2 })),
        );
        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        expect(winners, `round ${round}`).toHaveLength(1);
        expect((winners[0] as PromiseFulfilledResult<AppendResult>).value).toEqual({ firstSeq: round * 2 + 1, lastSeq: round * 2 + 2, duplicate: false });
        for (const lost of outcomes.filter((o) => o.status === 'rejected')) await expectCode(Promise.reject(lost.reason), 'CONFLICT');
      }
      const log = await ctx.store.getMessages(userId, sessionId);
      expect(seqsOf(log)).toEqual(range(1, rounds * 2));
      for (let round = 0; round < rounds; round++) {
        expect(present(log[round * 2]).message['writer']).toBe(present(log[round * 2 + 1]).message['writer']);
      }
    });

    it('concurrent retries with one idempotency key write once', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const results = await Promise.all(writers.map((store) => store.append(userId, sessionId, chatMessages(2), { idempotencyKey: 'retry' })));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      for (const result of results) expect(result).toMatchObject({ firstSeq: 1, lastSeq: 2 });
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 2, lastSeq: 2 });
    });
  });
}
