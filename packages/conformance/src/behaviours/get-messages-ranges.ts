import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { GetMessagesOptions } from '@sessions/core';
import type { FreshIds, SuiteContext } from '../context.js';
import { chatMessages, present, range, seqsOf } from '../helpers.js';

/** What getMessages must return for `options` over a session holding `seqs` (ascending). */
export function expectedRange(seqs: readonly number[], options: GetMessagesOptions): number[] {
  const { afterSeq, beforeSeq, limit, from = 'end' } = options;
  const inRange = seqs.filter((s) => (afterSeq === undefined || s > afterSeq) && (beforeSeq === undefined || s < beforeSeq));
  if (limit === undefined) return inRange;
  if (limit === 0) return [];
  return from === 'start' ? inRange.slice(0, limit) : inRange.slice(-limit);
}

/** getMessages: exclusive bounds, `limit` from either end, ascending results, gaps left by pops. */
export function getMessagesRangesBehaviour(ctx: SuiteContext): void {
  describe('getMessages ranges', () => {
    let ids: FreshIds;
    // Seqs 1..9 and 11..12: seq 10 was popped, so positions and seqs differ.
    const held = [...range(1, 9), 11, 12];

    beforeAll(async () => {
      ids = ctx.freshIds();
      await ctx.store.append(ids.userId, ids.sessionId, chatMessages(10));
      await ctx.store.popMessage(ids.userId, ids.sessionId);
      await ctx.store.append(ids.userId, ids.sessionId, chatMessages(2, 'm', 11));
    });

    const read = async (options: GetMessagesOptions) => seqsOf(await ctx.store.getMessages(ids.userId, ids.sessionId, options));

    it('returns every message oldest first, with its message and a Date', async () => {
      const all = await ctx.store.getMessages(ids.userId, ids.sessionId);
      expect(seqsOf(all)).toEqual(held);
      expect(all[0]?.message).toEqual(chatMessages(1)[0]);
      expect(all.at(-1)?.message).toEqual(chatMessages(2, 'm', 11)[1]);
      for (const stored of all) expect(stored.createdAt).toBeInstanceOf(Date);
    });

    it('counts limit from the newest end by default and from the oldest with from: start', async () => {
      expect(await read({ limit: 3 })).toEqual([9, 11, 12]);
      expect(await read({ limit: 3, from: 'end' })).toEqual([9, 11, 12]);
      expect(await read({ limit: 3, from: 'start' })).toEqual([1, 2, 3]);
      expect(await read({ limit: 0 })).toEqual([]);
      expect(await read({ limit: 100 })).toEqual(held);
    });

    it('treats afterSeq and beforeSeq as exclusive bounds on seqs, not positions', async () => {
      expect(await read({ afterSeq: 8 })).toEqual([9, 11, 12]);
      expect(await read({ beforeSeq: 3 })).toEqual([1, 2]);
      expect(await read({ afterSeq: 9, beforeSeq: 12 })).toEqual([11]);
      expect(await read({ afterSeq: 9, beforeSeq: 11 })).toEqual([]);
      expect(await read({ afterSeq: 2, beforeSeq: 9, limit: 2 })).toEqual([7, 8]);
      expect(await read({ afterSeq: 2, beforeSeq: 9, limit: 2, from: 'start' })).toEqual([3, 4]);
      expect(await read({ beforeSeq: 1 })).toEqual([]);
      expect(await read({ beforeSeq: 0 })).toEqual([]);
      expect(await read({ afterSeq: 12 })).toEqual([]);
      expect(await read({ afterSeq: 0 })).toEqual(held);
      expect(await read({ afterSeq: 7, beforeSeq: 3 })).toEqual([]);
    });

    it('pages forward with afterSeq and from: start, and backward with beforeSeq', async () => {
      const forward: number[] = [];
      let after = 0;
      for (;;) {
        const page = await read({ afterSeq: after, limit: 4, from: 'start' });
        if (page.length === 0) break;
        forward.push(...page);
        after = present(page.at(-1));
      }
      expect(forward).toEqual(held);
      const backward: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await read({ beforeSeq: before, limit: 4 });
        if (page.length === 0) break;
        backward.unshift(...page);
        before = page[0];
      }
      expect(backward).toEqual(held);
    });

    it('agrees with the reference filter on random ranges', async () => {
      const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            afterSeq: option(fc.nat(14)),
            beforeSeq: option(fc.nat(14)),
            limit: option(fc.nat(13)),
            from: option(fc.constantFrom<'start' | 'end'>('start', 'end')),
          }),
          async (options) => {
            expect(await read(options)).toEqual(expectedRange(held, options));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('returns [] for a missing session and never creates it', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await ctx.store.getMessages(userId, sessionId)).toEqual([]);
      expect(await ctx.store.getMessages(userId, sessionId, { limit: 5, afterSeq: 1 })).toEqual([]);
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });
  });
}
