import type { At, SessionRef } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import type { SessionRows } from './session-row.js';

/** Parameters of the statement removing every entry of a session. */
export interface ClearParams {
  sid: number;
}

const SQL = {
  removeAll: 'DELETE FROM session_messages WHERE sid = @sid',
};

/**
 * `clear`: removes every entry, keeping the row, `lastSeq` and the idempotency keys; touches
 * the session. A no-op for a missing session. One `BEGIN IMMEDIATE` transaction.
 */
export function prepareClear(db: Database, rows: SessionRows): (request: SessionRef & At) => void {
  const removeAll = db.prepare<ClearParams>(SQL.removeAll);
  const run = db.transaction((request: SessionRef & At): void => {
    const row = rows.liveForWrite(request, request.now);
    if (!row) return;
    const removed = removeAll.run({ sid: row.sid }).changes;
    rows.touch(row.sid, request.now, -removed);
  });
  return (request) => run.immediate(request);
}
