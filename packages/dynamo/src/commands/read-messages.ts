import type { JsonObject, StoredMessage } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { messageSk, userPk } from '../keys.js';
import { s, toStoredMessage, type Item, type SessionRecord } from '../marshal.js';

/** A checked message range: exclusive bounds, an optional limit and which end it counts from. */
export interface MessageRange {
  limit?: number;
  beforeSeq?: number;
  afterSeq?: number;
  from?: 'start' | 'end';
}

/**
 * The messages of a live session in `range`, oldest first: one `Query` on the session's seq
 * range (with `Limit` when there is one), following `LastEvaluatedKey` until the range or the
 * limit is exhausted. Cleared messages (seq up to `clearedUpTo`) are outside the range.
 */
export async function readMessages<M extends JsonObject>(ctx: StoreContext<M>, record: SessionRecord, range: MessageRange): Promise<StoredMessage<M>[]> {
  const lower = Math.max(range.afterSeq ?? 0, record.clearedUpTo) + 1;
  const upper = Math.min(range.beforeSeq === undefined ? record.lastSeq : range.beforeSeq - 1, record.lastSeq);
  if (lower > upper || range.limit === 0) return [];
  const newestFirst = (range.from ?? 'end') === 'end';
  const out: StoredMessage<M>[] = [];
  const pages = ctx.table.queryAll({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
    ExpressionAttributeValues: {
      ':pk': s(userPk(record.userId)),
      ':lo': s(messageSk(record.sessionId, record.gen, lower)),
      ':hi': s(messageSk(record.sessionId, record.gen, upper)),
    },
    ScanIndexForward: !newestFirst,
    ConsistentRead: true,
    ...(range.limit !== undefined ? { Limit: range.limit } : {}),
  });
  for await (const items of pages) {
    for (const item of items as Item[]) {
      out.push(toStoredMessage<M>(item));
      if (range.limit !== undefined && out.length >= range.limit) break;
    }
    if (range.limit !== undefined && out.length >= range.limit) break;
  }
  return newestFirst ? out.reverse() : out;
}
