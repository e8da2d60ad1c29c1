import type { At, SessionRef } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { isLive, type SessionRows } from './session-row.js';

/**
 * `delete`: removes the session's row, entries and idempotency keys (an expired one too) and
 * returns whether a live session was there. One `BEGIN IMMEDIATE` transaction; the statements
 * are the shared drop of {@link SessionRows}.
 */
export function prepareDelete(db: Database, rows: SessionRows): (request: SessionRef & At) => boolean {
  const run = db.transaction((request: SessionRef & At): boolean => {
    const row = rows.find(request);
    if (!row) return false;
    rows.drop(row.sid);
    return isLive(row, request.now);
  });
  return (request) => run.immediate(request);
}
