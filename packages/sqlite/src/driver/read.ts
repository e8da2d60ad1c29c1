import type { ReadRequest, StoredEntry } from '@sessions/core';
import type { Database, Statement } from 'better-sqlite3';
import { LIVE } from './session-row.js';

/** Parameters of the statement finding the live session's row number. */
export interface FindLiveParams {
  userId: string;
  sessionId: string;
  now: number;
}

/** Parameters of a range read of one session's messages; bounds are exclusive and present only when given. */
export interface RangeParams {
  sid: number;
  afterSeq?: number;
  beforeSeq?: number;
  /** Only for the statement with a bound limit (see {@link rangeSql}). */
  limit?: number;
}

/** A message row as `[seq, created_at, body]` (raw mode: no object per row). */
type EntryTuple = [number, number, string];

/** Statements of range reads kept per connection; a limit outside them binds `@limit` instead. */
const MAX_CACHED_RANGES = 64;

const SQL = {
  findLive: `SELECT s.sid FROM sessions s WHERE s.user_id = @userId AND s.id = @sessionId AND ${LIVE}`,
};

/**
 * The range statement for one shape of request. It walks the (sid, seq) primary key from the
 * chosen end and stops after `limit` rows: the newest n cost n index steps. The limit is written
 * into the SQL (a checked integer) rather than bound, which SQLite runs measurably faster, so
 * each distinct limit has its own statement, up to {@link MAX_CACHED_RANGES}.
 */
function rangeSql(from: 'start' | 'end', after: boolean, before: boolean, limit: number | 'bound' | undefined): string {
  const bounds = `${after ? ' AND seq > @afterSeq' : ''}${before ? ' AND seq < @beforeSeq' : ''}`;
  const tail = limit === undefined ? '' : limit === 'bound' ? ' LIMIT @limit' : ` LIMIT ${limit}`;
  return `SELECT seq, created_at, body FROM session_messages WHERE sid = @sid${bounds} ORDER BY seq ${from === 'end' ? 'DESC' : 'ASC'}${tail}`;
}

/**
 * `read`: entries of a live session in a seq range, oldest first; `[]` for a missing session.
 * Two statements without a transaction: the live session's row number, then its messages in
 * one statement (one snapshot). A session deleted in between reads as deleted, since a row
 * number is never reused; any result is the state at some instant during the call.
 */
export function prepareRead(db: Database): (request: ReadRequest) => StoredEntry[] {
  const findLive = db.prepare<FindLiveParams, number>(SQL.findLive).pluck();
  const ranges = new Map<string, Statement<[RangeParams], EntryTuple>>();
  const range = (request: ReadRequest): { statement: Statement<[RangeParams], EntryTuple>; bound: boolean } => {
    const after = request.afterSeq !== undefined;
    const before = request.beforeSeq !== undefined;
    const key = `${request.from}:${after}:${before}:${request.limit ?? ''}`;
    let statement = ranges.get(key);
    if (statement) return { statement, bound: false };
    // Only a checked positive integer is ever written into SQL; anything else is bound.
    const literal = request.limit === undefined || (Number.isSafeInteger(request.limit) && request.limit > 0);
    const bound = request.limit !== undefined && (!literal || ranges.size >= MAX_CACHED_RANGES);
    const boundKey = `${request.from}:${after}:${before}:bound`;
    statement = bound ? ranges.get(boundKey) : undefined;
    if (statement) return { statement, bound };
    statement = db.prepare<[RangeParams], EntryTuple>(rangeSql(request.from, after, before, bound ? 'bound' : request.limit)).raw(true);
    ranges.set(bound ? boundKey : key, statement);
    return { statement, bound };
  };
  return (request) => {
    const sid = findLive.get({ userId: request.userId, sessionId: request.sessionId, now: request.now });
    if (sid === undefined) return [];
    const { statement, bound } = range(request);
    const params: RangeParams = { sid };
    if (request.afterSeq !== undefined) params.afterSeq = request.afterSeq;
    if (request.beforeSeq !== undefined) params.beforeSeq = request.beforeSeq;
    if (bound) params.limit = request.limit!;
    const rows = statement.all(params);
    const entries = new Array<StoredEntry>(rows.length);
    const newestFirst = request.from === 'end';
    for (let i = 0; i < rows.length; i++) {
      const [seq, createdAt, text] = rows[i]!;
      entries[newestFirst ? rows.length - 1 - i : i] = { seq, createdAt, text };
    }
    return entries;
  };
}
