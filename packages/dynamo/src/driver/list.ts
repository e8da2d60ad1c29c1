import { compareListOrder, type ListRequest, type SessionInfo } from '@sessions/core';
import { listPk, listSkAbove } from '../keys.js';
import { LIST_INDEX, n, s, toSessionInfo, toSessionRecord, type SessionRecord } from '../marshal.js';
import type { DriverContext } from './context.js';
import { QUERY_PAGE_LIMIT } from './read-range.js';

const position = (r: SessionRecord) => ({ updatedAt: r.updatedAt, id: r.sessionId });

/**
 * `list`: a descending `Query` of the listing index (`GSI1PK` = user, `GSI1SK` = `updatedAt`
 * then id) from the cursor's `updatedAt`, skipping expired sessions with a filter. The index
 * orders ids of equal `updatedAt` by their UTF-8 bytes, not JavaScript's `<`, so the query goes
 * on to the end of the last page's `updatedAt` group and the page is sorted here: the order is
 * exact and the keyset cursor never skips or repeats a session. The index items project every
 * attribute, so there is no read per session. Returns up to `limit + 1` sessions.
 */
export async function list(ctx: DriverContext, request: ListRequest): Promise<SessionInfo[]> {
  const { cursor, limit } = request;
  const values = { ':pk': s(listPk(request.userId)), ':now': n(request.now), ...(cursor ? { ':upper': s(listSkAbove(cursor.updatedAt)) } : {}) };
  const pages = ctx.table.queryAll({
    IndexName: LIST_INDEX,
    KeyConditionExpression: cursor ? '#pk = :pk AND #sk < :upper' : '#pk = :pk',
    FilterExpression: 'attribute_not_exists(#expiresAt) OR #expiresAt > :now',
    ExpressionAttributeNames: { '#pk': 'GSI1PK', '#expiresAt': 'expiresAt', ...(cursor ? { '#sk': 'GSI1SK' } : {}) },
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    Limit: Math.min(limit + 1, QUERY_PAGE_LIMIT),
  });
  const collected: SessionRecord[] = [];
  let boundary: number | null = null;
  outer: for await (const items of pages) {
    for (const item of items) {
      const record = toSessionRecord(item);
      if (boundary !== null && record.updatedAt < boundary) break outer;
      if (cursor && compareListOrder(position(record), cursor) <= 0) continue;
      collected.push(record);
      if (boundary === null && collected.length > limit) boundary = record.updatedAt;
    }
  }
  collected.sort((a, b) => compareListOrder(position(a), position(b)));
  return collected.slice(0, limit + 1).map(toSessionInfo);
}
