import type { Outcome, ReplaceTailOutcome, ReplaceTailRequest } from '@sessions/core';
import { newGeneration } from '../keys.js';
import { MAX_APPEND_BATCH, TRANSACTION_MAX_ACTIONS } from '../limits.js';
import { isLive, messageItem, n, type Item, type SessionRecord } from '../marshal.js';
import { lostRace } from './append.js';
import { checkBatch } from './check-batch.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed, DynamoLimitError } from './errors.js';
import { names } from './expressions.js';
import { idempotencyPut, readIdempotency } from './idempotency.js';
import { backoff } from './retry.js';
import { deleteMessageRange, messageKeys } from './session-items.js';
import { createRecordAction, freshRecord, unchangedSessionUpdate } from './session-writes.js';
import type { TransactAction } from './table-client.js';

/**
 * `replaceTail`: removes every message with seq > `afterSeq` and appends the new ones with new
 * seqs (`lastSeq + 1`...), in one `TransactWriteItems`, conditioned on the session item being
 * exactly what was read (generation, `lastSeq`, `clearedUpTo`, `messageCount`, TTL). Two ways:
 *
 * - **Everything goes** (no message at or below `afterSeq` is held: `afterSeq: 0`, compaction,
 *   or a truncation of the whole history): the update raises `clearedUpTo` to the old `lastSeq`,
 *   which hides every old message at once, whatever their number; the items are deleted in
 *   batches after the transaction (invisible already), as `clear` does.
 * - **Part of the history stays**: the transaction deletes the removed message items one by one.
 *   It holds 100 actions, so the removed and added messages together are at most
 *   {@link MAX_TAIL_REWRITE} (`TOO_LARGE` above, nothing written): trim first, or replace the
 *   whole history.
 *
 * The idempotency key space is append's; a duplicate reports what the first call did.
 */
export async function replaceTail(ctx: DriverContext, request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
  const { userId, sessionId, texts, idempotencyKey: key, expectedLastSeq: expected, now } = request;
  checkBatch({ userId, sessionId, texts, maxCount: MAX_APPEND_BATCH, otherActions: 2, call: 'replaceTail' });
  for (let attempt = 0; ; attempt++) {
    const stored = await ctx.table.getRecord(userId, sessionId);
    const live = stored && isLive(stored, now) ? stored : null;
    if (live && key !== undefined) {
      const previous = await readIdempotency(ctx.table, live, key);
      if (previous) return { ...previous, duplicate: true };
    }
    const lastSeq = live?.lastSeq ?? 0;
    if (expected !== undefined && expected !== lastSeq) return { failure: 'conflict', lastSeq };
    if (!live && texts.length === 0) return { removed: 0, firstSeq: 1, lastSeq: 0, duplicate: false };
    if (!live && !request.create) return { failure: 'not_found' };

    const plan = live ? await planLive(ctx, live, request) : planCreate(request);
    const { gen, removed } = plan;
    const firstSeq = lastSeq + 1;
    const newLastSeq = lastSeq + texts.length;
    const actions: TransactAction[] = [
      plan.sessionAction,
      ...plan.deletes.map((Key): TransactAction => ({ Delete: { Key, ConditionExpression: 'attribute_exists(#PK)', ExpressionAttributeNames: names('PK') } })),
      ...texts.map((text, i): TransactAction => ({ Put: { Item: messageItem(userId, sessionId, gen, firstSeq + i, now, text) } })),
    ];
    if (key !== undefined) actions.push(idempotencyPut({ userId, sessionId, gen }, key, { firstSeq, lastSeq: newLastSeq, removed }));
    try {
      await ctx.table.transact(actions);
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      ctx.cache.forget(userId, sessionId);
      if (attempt >= maxAttempts(ctx)) throw lostRace('replaceTail', sessionId, attempt);
      await backoff(Math.min(attempt, 5), ctx.table.retry);
      continue;
    }
    ctx.cache.set(userId, sessionId, { gen, lastSeq: newLastSeq, ttlMs: live ? live.ttlMs : request.ttlMs });
    // Hidden already by clearedUpTo; from seq 1, so leftovers of an interrupted clear go too.
    if (plan.hiddenUpTo > 0) await deleteMessageRange(ctx.table, userId, sessionId, gen, 1, plan.hiddenUpTo);
    return { removed, firstSeq, lastSeq: newLastSeq, duplicate: false };
  }
}

/** The most messages a replaceTail that keeps part of the history may remove and add together (one transaction of 100 actions, less the session item and an idempotency item). */
export const MAX_TAIL_REWRITE = TRANSACTION_MAX_ACTIONS - 2;

/** How one attempt writes: the session item's action, the message items it deletes, what it hides. */
interface Plan {
  gen: string;
  sessionAction: TransactAction;
  deletes: Item[];
  removed: number;
  /** `clearedUpTo` after the write when it hides the whole old history (its items are deleted after), else 0. */
  hiddenUpTo: number;
}

/** A replaceTail that creates the session: nothing to remove. */
function planCreate(request: ReplaceTailRequest): Plan {
  const fresh = freshRecord(request.userId, request.sessionId, newGeneration(), request.now, request.ttlMs);
  const action = createRecordAction({ ...fresh, lastSeq: request.texts.length, messageCount: request.texts.length }, request.now);
  return { gen: fresh.gen, sessionAction: action, deletes: [], removed: 0, hiddenUpTo: 0 };
}

/** A replaceTail on a live session: hide everything, or delete the tail item by item. */
async function planLive(ctx: DriverContext, record: SessionRecord, request: ReplaceTailRequest): Promise<Plan> {
  const added = request.texts.length;
  const newLastSeq = record.lastSeq + added;
  const firstVisible = record.clearedUpTo + 1;
  const keepsSome =
    request.afterSeq >= firstVisible && (await messageKeys(ctx.table, record.userId, record.sessionId, record.gen, firstVisible, request.afterSeq, 0)).length > 0;
  if (!keepsSome) {
    // Every held message has seq > afterSeq: all of them go, hidden by clearedUpTo at once.
    const set = ['#lastSeq = :newLast', '#clearedUpTo = :hide', '#messageCount = :count'];
    const values = { ':newLast': n(newLastSeq), ':hide': n(record.lastSeq), ':count': n(added) };
    const hides = record.messageCount > 0 || record.lastSeq > record.clearedUpTo;
    return {
      gen: record.gen,
      sessionAction: { Update: unchangedSessionUpdate(record, request.now, set, values) },
      deletes: [],
      removed: record.messageCount,
      hiddenUpTo: hides ? record.lastSeq : 0,
    };
  }
  const room = MAX_TAIL_REWRITE - added;
  const deletes = await messageKeys(ctx.table, record.userId, record.sessionId, record.gen, request.afterSeq + 1, record.lastSeq, room);
  if (deletes.length > room) {
    throw new DynamoLimitError(
      'TOO_LARGE',
      `replaceTail keeping messages up to seq ${request.afterSeq} would remove more than ${room} messages and add ${added}; on DynamoDB one atomic replaceTail that keeps part of the history removes and adds at most ${MAX_TAIL_REWRITE} messages together (one transaction): trimSession or replace the whole history (afterSeq below the oldest message) instead`,
    );
  }
  const set = ['#lastSeq = :newLast', '#messageCount = :count'];
  const values = { ':newLast': n(newLastSeq), ':count': n(record.messageCount - deletes.length + added) };
  return { gen: record.gen, sessionAction: { Update: unchangedSessionUpdate(record, request.now, set, values) }, deletes, removed: deletes.length, hiddenUpTo: 0 };
}
