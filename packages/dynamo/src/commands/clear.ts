import type { JsonObject } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { conditionFailed } from '../errors.js';
import { LIVE_GENERATION, names } from '../expressions.js';
import { isLive, n, s } from '../marshal.js';
import { backoff } from '../retry.js';
import { deleteMessageRange } from './session-items.js';
import { recordKey, touchClauses, updateExpression } from './session-writes.js';

/**
 * `clearSession`: one conditional update sets `clearedUpTo = lastSeq` and `messageCount = 0`,
 * which hides every message at once (reads never look at or below `clearedUpTo`); the message
 * items are then deleted in batches. Metadata, `lastSeq` and idempotency keys are kept.
 */
export async function clearSession<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, sessionIdInput: string): Promise<void> {
  const userId = ctx.guard.userId(userIdInput);
  const sessionId = ctx.guard.sessionId(sessionIdInput);
  for (let attempt = 0; ; attempt++) {
    const now = ctx.now();
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
      if (!conditionFailed(error) || attempt >= ctx.maxRetries * 4) throw error;
      await backoff(Math.min(attempt, 5), ctx.table.retry);
      continue;
    }
    // From seq 1, so leftovers of an earlier interrupted clear go too.
    await deleteMessageRange(ctx.table, userId, sessionId, record.gen, 1, record.lastSeq);
    return;
  }
}
