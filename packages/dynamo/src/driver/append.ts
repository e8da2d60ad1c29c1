import type { AppendOutcome, AppendRequest, Outcome } from '@sessions/core';
import { newGeneration } from '../keys.js';
import { MAX_APPEND_BATCH } from '../limits.js';
import { isLive, messageItem, n, s, type SessionRecord } from '../marshal.js';
import { checkBatch } from './check-batch.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed, RaceLostError } from './errors.js';
import { LIVE_GENERATION, names } from './expressions.js';
import { idempotencyPut, readIdempotency } from './idempotency.js';
import { backoff } from './retry.js';
import { createRecordAction, freshRecord, recordKey, sameTtl, touchClauses, updateExpression } from './session-writes.js';
import type { TransactAction } from './table-client.js';

/**
 * `append`: one `TransactWriteItems` holding the session item's conditional update (or the
 * creation of a new session item), one put per message and, with an idempotency key, the put
 * of the idempotency item. The seqs come from what the driver remembers of the session or from a
 * strongly consistent read of the session item, and the update is conditioned on `lastSeq`
 * still being that, so a concurrent append makes this one read again rather than interleave;
 * cost is O(batch), whatever the session's length.
 */
export async function append(ctx: DriverContext, request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
  const { userId, sessionId, texts, idempotencyKey: key, expectedLastSeq: expected, now } = request;
  checkBatch({ userId, sessionId, texts, maxCount: MAX_APPEND_BATCH, otherActions: 2, call: 'append' });

  for (let attempt = 0; ; attempt++) {
    // First try: trust what the driver remembers of the session (its usual writer), without a
    // read; every field it relies on is in the write's condition. After any failed condition,
    // read the session item and the idempotency item and decide from what is really stored.
    const cached = attempt === 0 ? ctx.cache.get(userId, sessionId) : undefined;
    let live: LiveState | null;
    if (cached && (expected === undefined || expected === cached.lastSeq)) {
      live = { userId, sessionId, ...cached };
    } else {
      const stored = await ctx.table.getRecord(userId, sessionId);
      live = stored && isLive(stored, now) ? stored : null;
      if (live && key !== undefined) {
        const previous = await readIdempotency(ctx.table, live, key);
        if (previous) return { firstSeq: previous.firstSeq, lastSeq: previous.lastSeq, duplicate: true };
      }
      const lastSeq = live?.lastSeq ?? 0;
      if (expected !== undefined && expected !== lastSeq) return { failure: 'conflict', lastSeq };
      if (!live && !request.create) return { failure: 'not_found' };
    }

    const lastSeq = live?.lastSeq ?? 0;
    const fresh = freshRecord(userId, sessionId, newGeneration(), now, request.ttlMs);
    const gen = live?.gen ?? fresh.gen;
    const firstSeq = lastSeq + 1;
    const newLastSeq = lastSeq + texts.length;
    const actions: TransactAction[] = [
      live ? liveUpdate(live, now, newLastSeq, texts.length) : createRecordAction({ ...fresh, lastSeq: newLastSeq, messageCount: texts.length }, now),
      ...texts.map((text, i): TransactAction => ({ Put: { Item: messageItem(userId, sessionId, gen, firstSeq + i, now, text) } })),
    ];
    if (key !== undefined) actions.push(idempotencyPut({ userId, sessionId, gen }, key, { firstSeq, lastSeq: newLastSeq, removed: 0 }));
    try {
      await ctx.table.transact(actions);
      ctx.cache.set(userId, sessionId, { gen, lastSeq: newLastSeq, ttlMs: live ? live.ttlMs : fresh.ttlMs });
      return { firstSeq, lastSeq: newLastSeq, duplicate: false };
    } catch (error) {
      // Another writer changed the session (or applied the same key) since it was read or
      // remembered: read again; the checks above then give the right answer.
      if (!conditionFailed(error)) throw error;
      ctx.cache.forget(userId, sessionId);
      if (attempt >= maxAttempts(ctx)) throw lostRace('append', sessionId, attempt);
      if (cached === undefined) await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
}

/**
 * The error of a write whose condition failed on every attempt because other writers kept
 * moving the session: nothing was written, and the caller may retry (with its idempotency key).
 */
export function lostRace(call: string, sessionId: string, attempt: number): RaceLostError {
  return new RaceLostError(
    `${call} to session ${JSON.stringify(sessionId)} lost the race against other writers ${attempt + 1} times; nothing was written: retry it, or spread writers over sessions (one DynamoDB item takes one conditional write at a time)`,
  );
}

/** What an append to a live session relies on: its generation, `lastSeq` and TTL. */
type LiveState = Pick<SessionRecord, 'userId' | 'sessionId' | 'gen' | 'lastSeq' | 'ttlMs'>;

function liveUpdate(live: LiveState, now: number, newLastSeq: number, count: number): TransactAction {
  const touch = touchClauses(live, now);
  return {
    Update: {
      Key: recordKey(live),
      UpdateExpression: updateExpression(['#lastSeq = :last', '#messageCount = #messageCount + :count', ...touch.set], touch.remove),
      // The TTL is part of the condition: the expiry slid here must be the session's own.
      ConditionExpression: `${LIVE_GENERATION} AND #lastSeq = :prev AND ${sameTtl(live)}`,
      ExpressionAttributeNames: { ...touch.names, ...names('PK', 'gen', 'lastSeq', 'messageCount', 'ttlMs') },
      ExpressionAttributeValues: {
        ...touch.values,
        ':last': n(newLastSeq),
        ':count': n(count),
        ':gen': s(live.gen),
        ':prev': n(live.lastSeq),
        ...(live.ttlMs === null ? {} : { ':readTtlMs': n(live.ttlMs) }),
      },
    },
  };
}
