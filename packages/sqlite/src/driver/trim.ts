import type { TrimRequest } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import type { SessionRows } from './session-row.js';

/** Parameters of the statement removing a session's prefix. */
export interface TrimParams {
  sid: number;
  beforeSeq: number;
}

const SQL = {
  removePrefix: 'DELETE FROM session_messages WHERE sid = @sid AND seq < @beforeSeq',
};

/**
 * `trim`: removes every entry with seq < `beforeSeq` and returns how many (0 for a missing
 * session). An existing session is touched even when nothing was removed. One `BEGIN
 * IMMEDIATE` transaction.
 */
export function prepareTrim(db: Database, rows: SessionRows): (request: TrimRequest) => number {
  const removePrefix = db.prepare<TrimParams>(SQL.removePrefix);
  const run = db.transaction((request: TrimRequest): number => {
    const row = rows.liveForWrite(request, request.now);
    if (!row) return 0;
    const removed = removePrefix.run({ sid: row.sid, beforeSeq: request.beforeSeq }).changes;
    rows.touch(row.sid, request.now, -removed);
    return removed;
  });
  return (request) => run.immediate(request);
}
