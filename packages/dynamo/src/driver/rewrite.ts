import type { Outcome, RewriteOutcome, RewriteRequest } from '@sessions/core';
import { seqOfMessageSk } from '../keys.js';
import { TRANSACTION_MAX_ACTIONS } from '../limits.js';
import { isLive, messageKey, s, type SessionRecord } from '../marshal.js';
import { lostRace } from './append.js';
import { checkBatch } from './check-batch.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { names } from './expressions.js';
import { backoff } from './retry.js';
import { unchangedSessionUpdate } from './session-writes.js';
import type { TransactAction } from './table-client.js';

/** The most messages one rewrite replaces: a transaction's 100 actions less the session item's update. */
export const MAX_REWRITE_BATCH = TRANSACTION_MAX_ACTIONS - 1;

/**
 * `rewrite`: replaces the text of held messages in place (seq and `createdAt` kept) in one
 * `TransactWriteItems`: an `Update` of each message's body, conditioned on the message still
 * existing, and the session item's touch, conditioned on the session being exactly what was
 * read. Which seqs are held is read first (one `BatchGetItem`); the others are reported in
 * `missing` and never written. At most {@link MAX_REWRITE_BATCH} messages per call
 * (`INVALID_ARGUMENT` above).
 */
export async function rewrite(ctx: DriverContext, request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
  const { userId, sessionId, now, entries } = request;
  checkBatch({ userId, sessionId, texts: entries.map((e) => e.text), maxCount: MAX_REWRITE_BATCH, otherActions: 1, call: 'rewriteMessages' });
  for (let attempt = 0; ; attempt++) {
    const record = await ctx.table.getRecord(userId, sessionId);
    if (!record || !isLive(record, now)) return { failure: 'not_found' };
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== record.lastSeq) return { failure: 'conflict', lastSeq: record.lastSeq };
    const held = await heldSeqs(ctx, record, entries.map((e) => e.seq));
    const missing = entries.filter((e) => !held.has(e.seq)).map((e) => e.seq);
    const actions: TransactAction[] = [
      { Update: unchangedSessionUpdate(record, now, [], {}) },
      ...entries
        .filter((e) => held.has(e.seq))
        .map(
          (e): TransactAction => ({
            Update: {
              Key: messageKey(userId, sessionId, record.gen, e.seq),
              UpdateExpression: 'SET #body = :text',
              ConditionExpression: 'attribute_exists(#PK)',
              ExpressionAttributeNames: names('PK', 'body'),
              ExpressionAttributeValues: { ':text': s(e.text) },
            },
          }),
        ),
    ];
    try {
      await ctx.table.transact(actions);
      return { rewritten: entries.length - missing.length, missing };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      if (attempt >= maxAttempts(ctx)) throw lostRace('rewriteMessages', sessionId, attempt);
      await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
}

/** Which of `seqs` the session holds: visible (above `clearedUpTo`, at most `lastSeq`) and present. */
async function heldSeqs(ctx: DriverContext, record: SessionRecord, seqs: number[]): Promise<Set<number>> {
  const visible = seqs.filter((seq) => seq > record.clearedUpTo && seq <= record.lastSeq);
  if (visible.length === 0) return new Set();
  const keys = visible.map((seq) => messageKey(record.userId, record.sessionId, record.gen, seq));
  const items = await ctx.table.getItems(keys, { ProjectionExpression: '#SK', ExpressionAttributeNames: { '#SK': 'SK' } });
  return new Set(items.map((item) => seqOfMessageSk(item['SK']?.S ?? '')));
}
