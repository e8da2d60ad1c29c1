import type { StoredEntry } from '@sessions/core';
import { messagePrefix, newestFirst, sessionHeadRange, sessionSk, userPk } from '../keys.js';
import { isLive, s, toSessionRecord, toStoredEntry, type SessionRecord } from '../marshal.js';
import type { DriverContext } from './context.js';
import { messageRange } from './session-items.js';

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
  const fromEnd = (range.from ?? 'end') === 'end';
  const out: StoredEntry[] = [];
  const { oldestFirstForward, ...keys } = messageRange(userId, sessionId, gen, lower, upper);
  const pages = ctx.table.queryAll({
    ...keys,
    ScanIndexForward: fromEnd ? !oldestFirstForward : oldestFirstForward,
    ...(range.limit !== undefined ? { Limit: Math.min(range.limit, QUERY_PAGE_LIMIT) } : {}),
  });
  for await (const items of pages) {
    for (const item of items) {
      out.push(toStoredEntry(item));
      if (range.limit !== undefined && out.length >= range.limit) break;
    }
    if (range.limit !== undefined && out.length >= range.limit) break;
  }
  return fromEnd ? out.reverse() : out;
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
 * Reads the session item and the messages in `range`.
 *
 * The newest messages (from the end, no `beforeSeq`, a limit) of a session in the newest-first
 * layout come in ONE `Query` with the session item (see {@link readHead}); a session in the 0.1
 * layout, or a head the query could not settle, costs one more `Query`. So do the messages
 * after a seq, counted from the start, when the driver remembers the session holding fewer than
 * `limit` of them (a watch's round, a reader catching up): the head holds them all. Other ranges: when the
 * driver remembers the session's generation, the session item and the range are read at once
 * and the messages are kept only if the session item confirms that generation and none fell
 * outside its range (else they are read again, in order); otherwise one after the other.
 * `null` when there is no live session.
 */
export async function readSessionAndEntries(
  ctx: DriverContext,
  ref: { userId: string; sessionId: string; now: number },
  range: MessageRange,
): Promise<{ record: SessionRecord; entries: StoredEntry[] } | null> {
  const { userId, sessionId } = ref;
  const cached = ctx.cache.get(userId, sessionId);
  const { limit, afterSeq } = range;
  const fromEnd = (range.from ?? 'end') === 'end';
  // A reader that never saw the session tries the head too: for a 0.1 session it costs what
  // the GetItem it replaces would have.
  const newest = fromEnd && (!cached || newestFirst(cached.gen));
  const allAfter = !fromEnd && afterSeq !== undefined && cached !== undefined && newestFirst(cached.gen) && limit !== undefined && cached.lastSeq - afterSeq < limit;
  if (range.beforeSeq === undefined && limit !== undefined && limit < QUERY_PAGE_LIMIT && (newest || allAfter)) {
    const head = await readHead(ctx, ref, limit, afterSeq ?? 0, fromEnd);
    if (!head) return null;
    ctx.cache.remember(head.record);
    return { record: head.record, entries: head.entries ?? (await readEntries(ctx, head.record, range)) };
  }
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

/**
 * One `Query` ascending from the session item, `limit + 1` items: the session item, then (in the
 * newest-first layout) its newest messages above `afterSeq`: the newest `limit` of them when
 * `newest`, else all of them (then settled only if the head reached `afterSeq` or the end).
 * `entries` (oldest first) is `undefined` when the query cannot settle them: a session in the
 * 0.1 layout, items of another incarnation or of a neighbouring session id before this
 * incarnation's messages, more messages than asked for, a page cut at 1 MB. `null` when there
 * is no live session.
 */
async function readHead(
  ctx: DriverContext,
  ref: { userId: string; sessionId: string; now: number },
  limit: number,
  afterSeq: number,
  newest: boolean,
): Promise<{ record: SessionRecord; entries: StoredEntry[] | undefined } | null> {
  const { lo, hi } = sessionHeadRange(ref.sessionId);
  const out = await ctx.table.query({
    KeyConditionExpression: '#PK = :pk AND #SK BETWEEN :lo AND :hi',
    ExpressionAttributeNames: { '#PK': 'PK', '#SK': 'SK' },
    ExpressionAttributeValues: { ':pk': s(userPk(ref.userId)), ':lo': s(lo), ':hi': s(hi) },
    ConsistentRead: true,
    Limit: limit + 1,
  });
  const [first, ...rest] = out.Items ?? [];
  // Nothing sorts between `lo` and the session item: a first item with another key means none.
  if (!first || first['SK']?.S !== sessionSk(ref.sessionId)) return null;
  const record = toSessionRecord(first);
  if (!isLive(record, ref.now)) return null;
  if (limit === 0) return { record, entries: [] };
  if (!newestFirst(record.gen)) return { record, entries: undefined };
  const prefix = messagePrefix(ref.sessionId, record.gen);
  const floor = Math.max(afterSeq, record.clearedUpTo);
  const entries: StoredEntry[] = [];
  // The range ended within the page: every message of the head was in it.
  let settled = out.LastEvaluatedKey === undefined;
  for (const item of rest) {
    const sk = item['SK']?.S ?? '';
    if (!sk.startsWith(prefix)) {
      // Past this incarnation's messages: all of them were seen. Before them: they were not reached.
      settled = sk > prefix;
      break;
    }
    const entry = toStoredEntry(item);
    if (entry.seq > record.lastSeq) continue;
    if (entry.seq <= floor) {
      settled = true;
      break;
    }
    if (entries.length === limit) {
      // One more message than asked for: the newest `limit` are known, the oldest ones are not.
      settled = newest;
      break;
    }
    entries.push(entry);
  }
  if (entries.length === limit && newest) settled = true;
  return { record, entries: settled ? entries.reverse() : undefined };
}
