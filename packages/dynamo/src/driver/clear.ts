import type { At, SessionRef } from '@sessions/core';
import { isLive, n, s } from '../marshal.js';
import { lostRace } from './append.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { LIVE_GENERATION, names } from './expressions.js';
import { backoff } from './retry.js';
import { deleteMessageRange } from './session-items.js';
import { recordKey, touchClauses, updateExpression } from './session-writes.js';

/**
 * `clear`: one conditional `UpdateItem` sets `clearedUpTo = lastSeq` and `messageCount = 0`,
 * which hides every message at once (reads never look at or below `clearedUpTo`); the message
 * items are then deleted in batches. Metadata, `lastSeq` and idempotency keys are kept.
 */
export async function clear(ctx: DriverContext, request: SessionRef & At): Promise<void> {
  const { userId, sessionId, now } = request;
  for (let attempt = 0; ; attempt++) {
    const record = await ctx.table.getRecord(userId, sessionId);
    if (!record || !isLive(record, now)) return;
    const touch = touchClauses(record, now);
    try {
      await ctx.table.update({
        Key: recordKey(record),
        UpdateExpression: updateExpression(['#clearedUpTo = :last', '#messageCount = :zero', ...touch.set], touch.remove),
        ConditionExpression: `${LIVE_GENERATION} AND #lastSeq = :last`,
        ExpressionAttributeNames: { ...touch.names, ...names('PK', 'gen', 'clearedUpTo', 'messageCount', 'lastSeq') },
        ExpressionAttributeValues: { ...touch.values, ':last': n(record.lastSeq), ':zero': n(0), ':gen': s(record.gen) },
      });
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      if (attempt >= maxAttempts(ctx)) throw lostRace('clear', sessionId, attempt);
      await backoff(Math.min(attempt, 5), ctx.table.retry);
      continue;
    }
    // From seq 1, so leftovers of an earlier interrupted clear go too.
    await deleteMessageRange(ctx.table, userId, sessionId, record.gen, 1, record.lastSeq);
    return;
  }
}
