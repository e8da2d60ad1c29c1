import type { JsonObject, StoredMessage } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { messageSk, userPk } from '../keys.js';
import { isLive, s, toStoredMessage, type Item, type SessionRecord } from '../marshal.js';

/** A checked message range: exclusive bounds, an optional limit and which end it counts from. */
export interface MessageRange {
  limit?: number;
  beforeSeq?: number;
  afterSeq?: number;
  from?: 'start' | 'end';
}

/** The largest seq a message key can hold. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * The messages of one generation with seqs in `[lower, upper]`, oldest first: one `Query`
 * (with `Limit` when there is one), following `LastEvaluatedKey` until the range or the limit
 * is exhausted, so no result is cut at DynamoDB's 1 MB page.
 */
async function queryRange<M>(ctx: StoreContext<JsonObject> | StoreContext<never>, userId: string, sessionId: string, gen: string, lower: number, upper: number, range: MessageRange): Promise<StoredMessage<M>[]> {
  if (lower > upper || range.limit === 0) return [];
  const newestFirst = (range.from ?? 'end') === 'end';
  const out: StoredMessage<M>[] = [];
  const pages = ctx.table.queryAll({
    KeyConditionExpression: '#PK = :pk AND #SK BETWEEN :lo AND :hi',
    ExpressionAttributeNames: { '#PK': 'PK', '#SK': 'SK' },
    ExpressionAttributeValues: {
      ':pk': s(userPk(userId)),
      ':lo': s(messageSk(sessionId, gen, lower)),
      ':hi': s(messageSk(sessionId, gen, upper)),
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

/** The seq bounds of `range` in a session: above `clearedUpTo` (cleared messages are hidden), at most `lastSeq`. */
function bounds(range: MessageRange, clearedUpTo: number, lastSeq: number): [number, number] {
  const lower = Math.max(range.afterSeq ?? 0, clearedUpTo) + 1;
  const upper = Math.min(range.beforeSeq === undefined ? lastSeq : range.beforeSeq - 1, lastSeq);
  return [lower, upper];
}

/** The messages of a live session in `range`, oldest first. */
export function readMessages<M extends JsonObject>(ctx: StoreContext<M>, record: SessionRecord, range: MessageRange): Promise<StoredMessage<M>[]> {
  const [lower, upper] = bounds(range, record.clearedUpTo, record.lastSeq);
  return queryRange<M>(ctx as unknown as StoreContext, record.userId, record.sessionId, record.gen, lower, upper, range);
}

/**
 * Reads the session item and the messages in `range`. When the store remembers the session's
 * generation, both requests go out at once and the messages are kept only if the session item
 * confirms that generation and none fell outside its range (else they are read again, in order);
 * otherwise they run one after the other. `null` when there is no live session.
 */
export async function readSessionAndMessages<M extends JsonObject>(ctx: StoreContext<M>, userId: string, sessionId: string, range: MessageRange): Promise<{ record: SessionRecord; messages: StoredMessage<M>[] } | null> {
  const cached = ctx.cache.get(userId, sessionId);
  const [lower, upper] = bounds(range, 0, MAX_SEQ);
  const [record, early] = await Promise.all([
    ctx.table.getRecord(userId, sessionId),
    cached ? queryRange<M>(ctx as unknown as StoreContext, userId, sessionId, cached.gen, lower, upper, range) : Promise.resolve(null),
  ]);
  if (!record || !isLive(record, ctx.now())) return null;
  ctx.cache.remember(record);
  if (early && cached?.gen === record.gen) {
    const kept = early.filter((m) => m.seq > record.clearedUpTo && m.seq <= record.lastSeq);
    // Complete unless something was dropped from a limited read (then more may be in range).
    if (kept.length === early.length || range.limit === undefined) return { record, messages: kept };
  }
  return { record, messages: await readMessages(ctx, record, range) };
}
