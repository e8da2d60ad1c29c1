import type { StoredEntry } from '@sessions/core';
import { messageSk, userPk } from '../keys.js';
import { isLive, s, toStoredEntry, type SessionRecord } from '../marshal.js';
import type { DriverContext } from './context.js';

/** A message range: exclusive seq bounds, an optional limit and which end it counts from. */
export interface MessageRange {
  limit?: number | undefined;
  beforeSeq?: number | undefined;
  afterSeq?: number | undefined;
  from?: 'start' | 'end';
}

/** The largest seq a message key can hold. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;
/**
 * The largest `Limit` one query asks for. A bigger limit is read in several pages: DynamoDB takes
 * `Limit` as a 32-bit integer and refuses more, and returns at most 1 MB a page anyway.
 */
export const QUERY_PAGE_LIMIT = 1000;

/**
 * The messages of one generation with seqs in `[lower, upper]`, oldest first: one `Query`
 * (with `Limit` when there is one), following `LastEvaluatedKey` until the range or the limit
 * is exhausted, so no result is cut at DynamoDB's 1 MB page.
 */
async function queryRange(ctx: DriverContext, userId: string, sessionId: string, gen: string, lower: number, upper: number, range: MessageRange): Promise<StoredEntry[]> {
  if (lower > upper || range.limit === 0) return [];
  const newestFirst = (range.from ?? 'end') === 'end';
  const out: StoredEntry[] = [];
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
    ...(range.limit !== undefined ? { Limit: Math.min(range.limit, QUERY_PAGE_LIMIT) } : {}),
  });
  for await (const items of pages) {
    for (const item of items) {
      out.push(toStoredEntry(item));
      if (range.limit !== undefined && out.length >= range.limit) break;
    }
    if (range.limit !== undefined && out.length >= range.limit) break;
  }
  return newestFirst ? out.reverse() : out;
}

/** The seq bounds of `range` in a session: above `clearedUpTo` (cleared and trimmed messages are hidden), at most `lastSeq`. */
function bounds(range: MessageRange, clearedUpTo: number, lastSeq: number): [number, number] {
  const lower = Math.max(range.afterSeq ?? 0, clearedUpTo) + 1;
  const upper = Math.min(range.beforeSeq === undefined ? lastSeq : range.beforeSeq - 1, lastSeq);
  return [lower, upper];
}

/** The messages of a live session in `range`, oldest first. */
export function readEntries(ctx: DriverContext, record: SessionRecord, range: MessageRange): Promise<StoredEntry[]> {
  const [lower, upper] = bounds(range, record.clearedUpTo, record.lastSeq);
  return queryRange(ctx, record.userId, record.sessionId, record.gen, lower, upper, range);
}

/**
 * Reads the session item and the messages in `range`. When the driver remembers the session's
 * generation, both requests go out at once and the messages are kept only if the session item
 * confirms that generation and none fell outside its range (else they are read again, in order);
 * otherwise they run one after the other. `null` when there is no live session.
 */
export async function readSessionAndEntries(
  ctx: DriverContext,
  ref: { userId: string; sessionId: string; now: number },
  range: MessageRange,
): Promise<{ record: SessionRecord; entries: StoredEntry[] } | null> {
  const { userId, sessionId } = ref;
  const cached = ctx.cache.get(userId, sessionId);
  const [lower, upper] = bounds(range, 0, MAX_SEQ);
  const [record, early] = await Promise.all([
    ctx.table.getRecord(userId, sessionId),
    cached ? queryRange(ctx, userId, sessionId, cached.gen, lower, upper, range) : Promise.resolve(null),
  ]);
  if (!record || !isLive(record, ref.now)) return null;
  ctx.cache.remember(record);
  if (early && cached?.gen === record.gen) {
    const kept = early.filter((m) => m.seq > record.clearedUpTo && m.seq <= record.lastSeq);
    // Complete unless something was dropped from a limited read (then more may be in range).
    if (kept.length === early.length || range.limit === undefined) return { record, entries: kept };
  }
  return { record, entries: await readEntries(ctx, record, range) };
}
