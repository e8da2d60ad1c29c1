import type { At, SessionRef, StoredEntry } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { toEntry, type EntryRow, type SessionRows } from './session-row.js';

/** Parameters of the statement removing a session's newest entry. */
export interface PopParams {
  sid: number;
}

const SQL = {
  // The subquery is one step down the (sid, seq) primary key.
  popNewest: `DELETE FROM session_messages
              WHERE sid = @sid AND seq = (SELECT max(seq) FROM session_messages WHERE sid = @sid)
              RETURNING seq, created_at, body`,
};

/**
 * `pop`: removes and returns the newest entry (`null` for a missing or empty session, which is
 * then left untouched). One `BEGIN IMMEDIATE` transaction, so two concurrent pops never return
 * the same entry.
 */
export function preparePop(db: Database, rows: SessionRows): (request: SessionRef & At) => StoredEntry | null {
  const popNewest = db.prepare<PopParams, EntryRow>(SQL.popNewest);
  const run = db.transaction((request: SessionRef & At): StoredEntry | null => {
    const row = rows.liveForWrite(request, request.now);
    const entry = row ? popNewest.get({ sid: row.sid }) : undefined;
    if (!row || !entry) return null;
    rows.touch(row.sid, request.now, -1);
    return toEntry(entry);
  });
  return (request) => run.immediate(request);
}
