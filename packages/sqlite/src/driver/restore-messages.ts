import type { Outcome, RestoreMessagesRequest } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import type { InsertMessageParams } from './append.js';
import type { SessionRows } from './session-row.js';

/** Parameters of the statements on the restored session. */
export interface RestoreParams {
  sid: number;
}

/** Parameters of the statement adding the restored entries to the message count. */
export interface CountParams extends RestoreParams {
  added: number;
}

const SQL = {
  highestHeld: 'SELECT coalesce(max(seq), 0) AS seq FROM session_messages WHERE sid = @sid',
  insert: 'INSERT INTO session_messages (sid, seq, created_at, body) VALUES (@sid, @seq, @createdAt, @body)',
  // No touch: a restore writes history as it was, it does not change updatedAt or the expiry.
  count: 'UPDATE sessions SET message_count = message_count + @added WHERE sid = @sid',
};

/**
 * `restoreMessages`: writes entries with their own seqs and `createdAt`; they must lie above
 * every held seq and at most at the session's lastSeq (`out_of_bounds` otherwise, nothing
 * written). `not_found` for a missing session. One `BEGIN IMMEDIATE` transaction.
 */
export function prepareRestoreMessages(db: Database, rows: SessionRows): (request: RestoreMessagesRequest) => Outcome<void, 'not_found' | 'out_of_bounds'> {
  const highestHeld = db.prepare<RestoreParams, { seq: number }>(SQL.highestHeld);
  const insert = db.prepare<InsertMessageParams>(SQL.insert);
  const count = db.prepare<CountParams>(SQL.count);
  const run = db.transaction((request: RestoreMessagesRequest): Outcome<void, 'not_found' | 'out_of_bounds'> => {
    const row = rows.liveForWrite(request, request.now);
    if (!row) return { failure: 'not_found' };
    const first = request.entries[0];
    const last = request.entries[request.entries.length - 1];
    if (!first || !last) return undefined;
    const held = highestHeld.get({ sid: row.sid })?.seq ?? 0;
    if (first.seq <= held || last.seq > row.last_seq) return { failure: 'out_of_bounds', highestHeld: held, lastSeq: row.last_seq };
    for (const entry of request.entries) insert.run({ sid: row.sid, seq: entry.seq, createdAt: entry.createdAt, body: entry.text });
    count.run({ sid: row.sid, added: request.entries.length });
    return undefined;
  });
  return (request) => run.immediate(request);
}
