import type { GetRequest, SessionWithEntries } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { isLive, toEntry, toSessionInfo, type EntryRow, type SessionRow, type SessionRows } from './session-row.js';

/** Parameters of the statement reading a session's newest entries. */
export interface TailParams {
  sid: number;
  /** -1 for all. */
  limit: number;
}

const SQL = {
  tail: 'SELECT seq, created_at, body FROM session_messages WHERE sid = @sid ORDER BY seq DESC LIMIT @limit',
};

/** Reads the newest `limit` entries of a session row (all when `undefined`), oldest first. */
export function prepareTail(db: Database): (row: SessionRow, limit: number | undefined) => SessionWithEntries {
  const tail = db.prepare<TailParams, EntryRow>(SQL.tail);
  return (row, limit) => {
    const rows = limit === 0 ? [] : tail.all({ sid: row.sid, limit: limit ?? -1 });
    return { session: toSessionInfo(row), entries: rows.reverse().map(toEntry) };
  };
}

/**
 * `get`: a live session with its newest entries, or `null`. The row and its entries are read
 * in one (deferred, read-only) transaction, so they come from the same snapshot.
 */
export function prepareGet(db: Database, rows: SessionRows): (request: GetRequest) => SessionWithEntries | null {
  const tail = prepareTail(db);
  const run = db.transaction((request: GetRequest): SessionWithEntries | null => {
    const row = rows.find(request);
    return row && isLive(row, request.now) ? tail(row, request.limit) : null;
  });
  return (request) => run.deferred(request);
}
