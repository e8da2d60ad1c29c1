import type { ReadRequest, StoredEntry } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { LIVE, toEntry, type EntryRow } from './session-row.js';

/** Parameters of the range reads: exclusive seq bounds, then at most `limit` rows. */
export interface ReadParams {
  userId: string;
  sessionId: string;
  now: number;
  afterSeq: number;
  beforeSeq: number;
  /** -1 for no limit (SQLite's own convention). */
  limit: number;
}

// One statement each, so a read sees one snapshot without a transaction. The join finds the
// live session through its unique (user_id, id) index, then walks the (sid, seq) primary key
// of the messages from the chosen end: reading the newest n costs n index steps.
const RANGE = `FROM sessions s JOIN session_messages m ON m.sid = s.sid
  WHERE s.user_id = @userId AND s.id = @sessionId AND ${LIVE} AND m.seq > @afterSeq AND m.seq < @beforeSeq`;
const SQL = {
  newest: `SELECT m.seq, m.created_at, m.body ${RANGE} ORDER BY m.seq DESC LIMIT @limit`,
  oldest: `SELECT m.seq, m.created_at, m.body ${RANGE} ORDER BY m.seq ASC LIMIT @limit`,
};

/** `read`: entries of a live session in a seq range, oldest first; `[]` for a missing session. */
export function prepareRead(db: Database): (request: ReadRequest) => StoredEntry[] {
  const newest = db.prepare<ReadParams, EntryRow>(SQL.newest);
  const oldest = db.prepare<ReadParams, EntryRow>(SQL.oldest);
  return (request) => {
    const params: ReadParams = {
      userId: request.userId,
      sessionId: request.sessionId,
      now: request.now,
      afterSeq: request.afterSeq ?? 0,
      beforeSeq: request.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      limit: request.limit ?? -1,
    };
    if (request.from === 'start') return oldest.all(params).map(toEntry);
    const rows = newest.all(params);
    const entries = new Array<StoredEntry>(rows.length);
    for (let i = 0; i < rows.length; i++) entries[rows.length - 1 - i] = toEntry(rows[i]!);
    return entries;
  };
}
