import type { TransactAction } from '../table-client.js';
import type { AppendOptions, AppendResult, JsonObject } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { conditionFailed } from '../errors.js';
import { LIVE_GENERATION, names } from '../expressions.js';
import { idempotencySk, newGeneration, userPk } from '../keys.js';
import { MAX_APPEND_BATCH } from '../limits.js';
import { isLive, messageItem, n, s, type SessionRecord } from '../marshal.js';
import { backoff } from '../retry.js';
import type { TableClient } from '../table-client.js';
import { checkBatch } from './check-batch.js';
import { createRecordAction, freshRecord, recordKey, touchClauses, updateExpression } from './session-writes.js';

/**
 * Appends a batch in one `TransactActions`: the session item's conditional update (or the
 * creation of a new session item), one put per message and, with an idempotency key, the put
 * of the idempotency item. The seqs are computed from a strongly consistent read of the
 * session item and the update is conditioned on `lastSeq` still being what was read, so a
 * concurrent append makes this one retry rather than interleave (rule 1); cost is O(batch).
 */
export async function append<M extends JsonObject>(
  ctx: StoreContext<M>,
  userIdInput: string,
  sessionIdInput: string,
  input: M | M[],
  options: AppendOptions = {},
): Promise<AppendResult> {
  const { guard } = ctx;
  const { userId, sessionId, idempotencyKey: key, expectedLastSeq: expected, create, batch } = await guard.append(userIdInput, sessionIdInput, input, options);
  checkBatch(ctx.errors, userId, sessionId, batch.encoded, MAX_APPEND_BATCH, 'append');

  for (let attempt = 0; ; attempt++) {
    const now = ctx.now();
    // First try: trust what this store remembers of the session (its usual writer), without a
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
        if (previous) return { ...previous, duplicate: true };
      }
      const lastSeq = live?.lastSeq ?? 0;
      if (expected !== undefined && expected !== lastSeq) throw ctx.errors.conflict(expected, lastSeq);
      if (!live && !create) throw ctx.errors.notFound(userId, sessionId);
    }

    const lastSeq = live?.lastSeq ?? 0;
    const fresh = freshRecord(userId, sessionId, newGeneration(), now, ctx.defaultTtlMs);
    const gen = live?.gen ?? fresh.gen;
    const firstSeq = lastSeq + 1;
    const newLastSeq = lastSeq + batch.encoded.length;
    const actions: TransactAction[] = [
      live ? liveUpdate(live, now, newLastSeq, batch.encoded.length) : createRecordAction({ ...fresh, lastSeq: newLastSeq, messageCount: batch.encoded.length }, now),
      ...batch.encoded.map((text, i) => ({ Put: { Item: messageItem(userId, sessionId, gen, firstSeq + i, now, text) } }) as TransactAction),
    ];
    if (key !== undefined) {
      actions.push({
        Put: {
          Item: { PK: s(userPk(userId)), SK: s(idempotencySk(sessionId, gen, key)), type: s('idempotency'), firstSeq: n(firstSeq), lastSeq: n(newLastSeq) },
          ConditionExpression: 'attribute_not_exists(#PK)',
          ExpressionAttributeNames: names('PK'),
        },
      });
    }
    try {
      await ctx.table.transact(actions);
      ctx.cache.set(userId, sessionId, { gen, lastSeq: newLastSeq, ttlMs: live ? live.ttlMs : fresh.ttlMs });
      return { firstSeq, lastSeq: newLastSeq, duplicate: false };
    } catch (error) {
      // Another writer changed the session (or applied the same key) since it was read or
      // remembered: read again; the checks above then give the right answer.
      if (!conditionFailed(error)) throw error;
      if (attempt >= ctx.maxRetries * 4) {
        // Nothing was written: every attempt's condition failed because other writers kept
        // moving the session. The caller may retry (with its idempotency key, if any).
        throw ctx.errors.make(
          'CONFLICT',
          `append to session ${JSON.stringify(sessionId)} lost the race against other writers ${attempt + 1} times; nothing was written: retry it, or spread writers over sessions (one DynamoDB item takes one conditional write at a time)`,
          error,
        );
      }
      ctx.cache.forget(userId, sessionId);
      if (cached === undefined) await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
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
      ConditionExpression: `${LIVE_GENERATION} AND #lastSeq = :prev AND ${live.ttlMs === null ? 'attribute_not_exists(#ttlMs)' : '#ttlMs = :ttlMs'}`,
      ExpressionAttributeNames: { ...touch.names, ...names('PK', 'gen', 'lastSeq', 'messageCount', 'ttlMs') },
      ExpressionAttributeValues: {
        ...touch.values,
        ':last': n(newLastSeq),
        ':count': n(count),
        ':gen': s(live.gen),
        ':prev': n(live.lastSeq),
        ...(live.ttlMs === null ? {} : { ':ttlMs': n(live.ttlMs) }),
      },
    },
  };
}

/** The result an idempotency key recorded in this incarnation of the session, or `null`. */
async function readIdempotency(table: TableClient, live: LiveState, key: string): Promise<{ firstSeq: number; lastSeq: number } | null> {
  const item = await table.getItem({ PK: s(userPk(live.userId)), SK: s(idempotencySk(live.sessionId, live.gen, key)) });
  if (!item) return null;
  return { firstSeq: Number(item['firstSeq']?.N ?? 0), lastSeq: Number(item['lastSeq']?.N ?? 0) };
}
