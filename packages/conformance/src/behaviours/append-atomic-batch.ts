import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged, range, seqsOf } from '../helpers.js';

/** Rule 1 within one writer: a batch lands whole, in order, with contiguous seqs, or not at all. */
export function appendAtomicBatchBehaviour(ctx: SuiteContext): void {
  describe('atomic batches', () => {
    const size = () => ctx.capabilities.maxBatchSize ?? 500;

    it('appends a large batch whole, in order, with contiguous seqs', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2, 'head'));
      const batch = chatMessages(size(), 'big');
      expect(await ctx.store.append(userId, sessionId, batch)).toEqual({ firstSeq: 3, lastSeq: size() + 2, duplicate: false });
      const stored = await ctx.store.getMessages(userId, sessionId, { afterSeq: 2 });
      expect(seqsOf(stored)).toEqual(range(3, size() + 2));
      expect(stored.map((m) => m.message)).toEqual(batch);
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({
        messageCount: size() + 2,
        lastSeq: size() + 2,
      });
    });

    it.runIf(ctx.capabilities.maxBatchSize !== undefined)('rejects a batch over maxBatchSize with INVALID_ARGUMENT and writes nothing', async () => {
      const max = size();
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(max + 1)), 'INVALID_ARGUMENT');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const before = await ctx.store.getSession(userId, sessionId);
      await expectCode(ctx.store.append(userId, sessionId, chatMessages(max + 1)), 'INVALID_ARGUMENT');
      await expectUnchanged(ctx.store, userId, sessionId, before);
    });

    it('rejects an empty batch with INVALID_ARGUMENT and creates nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.append(userId, sessionId, []), 'INVALID_ARGUMENT');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
    });

    it('writes nothing when one message of a batch is invalid, wherever it is', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(2));
      const before = await ctx.store.getSession(userId, sessionId);
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      const bad = { role: 'user', content: 'bad', when: new Date() } as unknown as JsonObject;
      for (const position of [0, 2, 4]) {
        const batch: JsonObject[] = chatMessages(5, 'batch');
        batch[position] = bad;
        await expectCode(ctx.store.append(userId, sessionId, batch), 'INVALID_ARGUMENT');
      }
      await expectUnchanged(ctx.store, userId, sessionId, before);
      const fresh = ctx.freshIds();
      await expectCode(ctx.store.append(fresh.userId, fresh.sessionId, [...chatMessages(3), bad]), 'INVALID_ARGUMENT');
      expect(await ctx.store.getSession(fresh.userId, fresh.sessionId)).toBeNull();
    });

    it('a batch can mix message shapes and keeps their order', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const batch: JsonObject[] = [
        { role: 'user', content: 'What is the weather?' },
        { type: 'function_call', name: 'weather', arguments: '{"city":"Paris"}', callId: 'c1' },
        { type: 'function_call_result', callId: 'c1', output: { temp: 21, unit: 'C' } },
        { type: 'reasoning', content: [{ type: 'text', text: 'Sunny.' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'It is 21°C.' }] },
      ];
      await ctx.store.append(userId, sessionId, batch);
      expect((await ctx.store.getMessages(userId, sessionId)).map((m) => m.message)).toEqual(batch);
    });
  });
}
