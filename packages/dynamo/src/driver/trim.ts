import type { TrimRequest } from '@sessions/core';
import { isLive, n } from '../marshal.js';
import { lostRace } from './append.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { backoff } from './retry.js';
import { countMessages, deleteMessageRange } from './session-items.js';
import { unchangedSessionUpdate } from './session-writes.js';

/**
 * `trim`: removes every message with seq < `beforeSeq` in one conditional `UpdateItem` that
 * raises `clearedUpTo` (reads never look at or below it, so the prefix disappears at once,
 * whatever its length) and lowers `messageCount` by the number of messages it held, counted
 * first and guarded by the update's condition (the session item exactly as read). The items are
 * then deleted in batches, invisible already. Touches the session (updatedAt, TTL slide); 0 for
 * a missing session.
 */
export async function trim(ctx: DriverContext, request: TrimRequest): Promise<number> {
  const { userId, sessionId, now } = request;
  for (let attempt = 0; ; attempt++) {
    const record = await ctx.table.getRecord(userId, sessionId);
    if (!record || !isLive(record, now)) return 0;
    const hideUpTo = Math.max(record.clearedUpTo, Math.min(request.beforeSeq - 1, record.lastSeq));
    const removed = await countMessages(ctx.table, userId, sessionId, record.gen, record.clearedUpTo + 1, hideUpTo);
    const set = ['#clearedUpTo = :hide', '#messageCount = :count'];
    const values = { ':hide': n(hideUpTo), ':count': n(record.messageCount - removed) };
    const update = unchangedSessionUpdate(record, now, set, values);
    try {
      await ctx.table.update(update);
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      if (attempt >= maxAttempts(ctx)) throw lostRace('trimSession', sessionId, attempt);
      await backoff(Math.min(attempt, 5), ctx.table.retry);
      continue;
    }
    if (hideUpTo > record.clearedUpTo) await deleteMessageRange(ctx.table, userId, sessionId, record.gen, record.clearedUpTo + 1, hideUpTo);
    return removed;
  }
}
