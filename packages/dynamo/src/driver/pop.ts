import type { At, SessionRef, StoredEntry } from '@sessions/core';
import { messageKey, n, s } from '../marshal.js';
import { lostRace } from './append.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { LIVE_GENERATION, names } from './expressions.js';
import { readSessionAndEntries } from './read-range.js';
import { backoff } from './retry.js';
import { recordKey, touchClauses, updateExpression } from './session-writes.js';

/**
 * `pop`: reads the newest message, then deletes it and decrements `messageCount` in one
 * transaction conditioned on the message still being there and the session's `lastSeq` and
 * `clearedUpTo` unchanged. Of two concurrent pops only one transaction succeeds; the other
 * reads again and pops the next message, so no message is ever returned twice.
 */
export async function pop(ctx: DriverContext, request: SessionRef & At): Promise<StoredEntry | null> {
  const { userId, sessionId, now } = request;
  for (let attempt = 0; ; attempt++) {
    const read = await readSessionAndEntries(ctx, request, { limit: 1, from: 'end' });
    if (!read || read.record.messageCount <= 0) return null;
    const { record } = read;
    const [newest] = read.entries;
    if (!newest) return null;
    const touch = touchClauses(record, now);
    try {
      await ctx.table.transact([
        {
          Delete: {
            Key: messageKey(userId, sessionId, record.gen, newest.seq),
            ConditionExpression: 'attribute_exists(#PK)',
            ExpressionAttributeNames: names('PK'),
          },
        },
        {
          Update: {
            Key: recordKey(record),
            UpdateExpression: updateExpression(['#messageCount = #messageCount - :one', ...touch.set], touch.remove),
            ConditionExpression: `${LIVE_GENERATION} AND #lastSeq = :last AND #clearedUpTo = :cleared`,
            ExpressionAttributeNames: { ...touch.names, ...names('PK', 'gen', 'messageCount', 'lastSeq', 'clearedUpTo') },
            ExpressionAttributeValues: {
              ...touch.values,
              ':one': n(1),
              ':gen': s(record.gen),
              ':last': n(record.lastSeq),
              ':cleared': n(record.clearedUpTo),
            },
          },
        },
      ]);
      return newest;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      if (attempt >= maxAttempts(ctx)) throw lostRace('pop', sessionId, attempt);
      await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
}
