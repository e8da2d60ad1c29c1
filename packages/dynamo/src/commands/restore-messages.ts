import type { TransactAction } from '../table-client.js';
import type { JsonObject, PreparedRestoreBatch, StoredMessage } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { conditionFailed } from '../errors.js';
import { LIVE_GENERATION, names } from '../expressions.js';
import { MAX_RESTORE_BATCH } from '../limits.js';
import { isLive, messageItem, n, s } from '../marshal.js';
import { backoff } from '../retry.js';
import { checkBatch } from './check-batch.js';
import { readMessages } from './read-messages.js';
import { recordKey } from './session-writes.js';

/**
 * `restoreMessages`: the messages with their own seqs and `createdAt`, plus `messageCount`, in
 * one transaction per {@link MAX_RESTORE_BATCH} messages, each conditioned on the session's
 * `lastSeq` and `clearedUpTo` being what the bounds were checked against. A call of at most
 * 99 messages is atomic; a larger one (imports and copies send 500) is validated whole first,
 * then written in consecutive transactions of 99, oldest first, so a failure part-way leaves a
 * prefix restored. `lastSeq`, `updatedAt` and expiry are left alone.
 */
export async function restoreMessages<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, sessionIdInput: string, messages: StoredMessage<M>[]): Promise<void> {
  const userId = ctx.guard.userId(userIdInput);
  const sessionId = ctx.guard.sessionId(sessionIdInput);
  const batch = await ctx.restore.batch(messages);
  const chunks: PreparedRestoreBatch<M>[] = [];
  for (let start = 0; start < batch.seqs.length || start === 0; start += MAX_RESTORE_BATCH) {
    const end = start + MAX_RESTORE_BATCH;
    const encoded = batch.encoded.slice(start, end);
    checkBatch(ctx.errors, userId, sessionId, encoded, MAX_RESTORE_BATCH, 'restoreMessages');
    chunks.push({ seqs: batch.seqs.slice(start, end), createdAt: batch.createdAt.slice(start, end), messages: batch.messages.slice(start, end), encoded, totalBytes: 0 });
  }
  // The whole batch's bounds are checked before the first chunk is written.
  for (const [i, chunk] of chunks.entries()) await restoreChunk(ctx, userId, sessionId, chunk, i === 0 ? batch : chunk);
}

async function restoreChunk<M extends JsonObject>(ctx: StoreContext<M>, userId: string, sessionId: string, batch: PreparedRestoreBatch<M>, checked: PreparedRestoreBatch<M>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const now = ctx.now();
    const record = await ctx.table.getRecord(userId, sessionId);
    if (!record || !isLive(record, now)) throw ctx.errors.notFound(userId, sessionId);
    const [newest] = await readMessages(ctx, record, { limit: 1 });
    ctx.restore.bounds(checked, Math.max(newest?.seq ?? 0, record.clearedUpTo), record.lastSeq);
    if (batch.seqs.length === 0) return;
    const actions: TransactAction[] = [
      {
        Update: {
          Key: recordKey(record),
          UpdateExpression: 'SET #messageCount = #messageCount + :count',
          ConditionExpression: `${LIVE_GENERATION} AND #lastSeq = :last AND #clearedUpTo = :cleared`,
          ExpressionAttributeNames: names('PK', 'gen', 'expiresAt', 'messageCount', 'lastSeq', 'clearedUpTo'),
          ExpressionAttributeValues: {
            ':count': n(batch.seqs.length),
            ':gen': s(record.gen),
            ':now': n(now),
            ':last': n(record.lastSeq),
            ':cleared': n(record.clearedUpTo),
          },
        },
      },
      ...batch.encoded.map(
        (text, i) =>
          ({
            Put: {
              Item: messageItem(userId, sessionId, record.gen, batch.seqs[i] ?? 0, batch.createdAt[i] ?? now, text),
              ConditionExpression: 'attribute_not_exists(#PK)',
              ExpressionAttributeNames: names('PK'),
            },
          }) as TransactAction,
      ),
    ];
    try {
      await ctx.table.transact(actions);
      return;
    } catch (error) {
      if (!conditionFailed(error) || attempt >= ctx.maxRetries * 4) throw error;
      await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
}
