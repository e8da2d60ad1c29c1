import type { Outcome, RestoreMessagesRequest, StoredEntry } from '@sessions/core';
import { MAX_RESTORE_BATCH } from '../limits.js';
import { isLive, messageItem, n, s, type SessionRecord } from '../marshal.js';
import { lostRace } from './append.js';
import { checkBatch } from './check-batch.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { LIVE_GENERATION, names } from './expressions.js';
import { readEntries } from './read-range.js';
import { backoff } from './retry.js';
import { recordKey } from './session-writes.js';
import type { TransactAction } from './table-client.js';

/**
 * `restoreMessages`: the entries with their own seqs and `createdAt`, plus `messageCount`, in
 * one `TransactWriteItems` per {@link MAX_RESTORE_BATCH} entries, each conditioned on the
 * session's `lastSeq` and `clearedUpTo` being what the bounds were checked against. A call of at
 * most 99 entries is atomic; a larger one (imports and copies send 500) has its bounds checked
 * whole first, then is written in consecutive transactions of 99, oldest first, so a failure
 * part-way leaves a prefix restored. `lastSeq`, `updatedAt` and expiry are left alone.
 *
 * The highest held seq counts `clearedUpTo` (the messages a clear or trim hid until their items
 * are deleted), so a restore never writes under a cleared range.
 */
export async function restoreMessages(ctx: DriverContext, request: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
  const { userId, sessionId, entries } = request;
  const chunks: StoredEntry[][] = [];
  for (let start = 0; start < entries.length; start += MAX_RESTORE_BATCH) chunks.push(entries.slice(start, start + MAX_RESTORE_BATCH));
  for (const chunk of chunks) checkBatch({ userId, sessionId, texts: chunk.map((e) => e.text), maxCount: MAX_RESTORE_BATCH, otherActions: 1, call: 'restoreMessages' });
  // The whole batch's bounds are checked before the first chunk is written.
  const whole = { first: entries[0]?.seq, last: entries[entries.length - 1]?.seq };
  if (chunks.length === 0) {
    const record = await liveRecord(ctx, request);
    return record ? undefined : { failure: 'not_found' };
  }
  for (const [i, chunk] of chunks.entries()) {
    const outcome = await restoreChunk(ctx, request, chunk, i === 0 ? whole : { first: chunk[0]?.seq, last: chunk[chunk.length - 1]?.seq });
    if (outcome) return outcome;
  }
  return undefined;
}

async function liveRecord(ctx: DriverContext, request: RestoreMessagesRequest): Promise<SessionRecord | null> {
  const record = await ctx.table.getRecord(request.userId, request.sessionId);
  return record && isLive(record, request.now) ? record : null;
}

async function restoreChunk(
  ctx: DriverContext,
  request: RestoreMessagesRequest,
  chunk: StoredEntry[],
  checked: { first: number | undefined; last: number | undefined },
): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
  const { userId, sessionId, now } = request;
  for (let attempt = 0; ; attempt++) {
    const record = await liveRecord(ctx, request);
    if (!record) return { failure: 'not_found' };
    const [newest] = await readEntries(ctx, record, { limit: 1, from: 'end' });
    const highestHeld = Math.max(newest?.seq ?? 0, record.clearedUpTo);
    if (checked.first !== undefined && checked.last !== undefined && (checked.first <= highestHeld || checked.last > record.lastSeq)) {
      return { failure: 'out_of_bounds', highestHeld, lastSeq: record.lastSeq };
    }
    const actions: TransactAction[] = [
      {
        Update: {
          Key: recordKey(record),
          UpdateExpression: 'SET #messageCount = #messageCount + :count',
          ConditionExpression: `${LIVE_GENERATION} AND #lastSeq = :last AND #clearedUpTo = :cleared`,
          ExpressionAttributeNames: names('PK', 'gen', 'expiresAt', 'messageCount', 'lastSeq', 'clearedUpTo'),
          ExpressionAttributeValues: {
            ':count': n(chunk.length),
            ':gen': s(record.gen),
            ':now': n(now),
            ':last': n(record.lastSeq),
            ':cleared': n(record.clearedUpTo),
          },
        },
      },
      ...chunk.map(
        (entry): TransactAction => ({
          Put: {
            Item: messageItem(userId, sessionId, record.gen, entry.seq, entry.createdAt, entry.text),
            ConditionExpression: 'attribute_not_exists(#PK)',
            ExpressionAttributeNames: names('PK'),
          },
        }),
      ),
    ];
    try {
      await ctx.table.transact(actions);
      return undefined;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      if (attempt >= maxAttempts(ctx)) throw lostRace('restoreMessages', sessionId, attempt);
      await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
}
