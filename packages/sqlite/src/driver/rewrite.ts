import type { Outcome, RewriteOutcome, RewriteRequest } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import type { SessionRows } from './session-row.js';

/** Parameters of the statement replacing one entry's text in place. */
export interface RewriteParams {
  sid: number;
  seq: number;
  body: string;
}

const SQL = {
  // Only an existing row is updated: a seq the session no longer holds is never recreated.
  rewriteOne: 'UPDATE session_messages SET body = @body WHERE sid = @sid AND seq = @seq',
};

/**
 * `rewrite`: replaces the text of held entries in place (seq and `createdAt` kept); seqs not
 * held are reported in `missing`. `not_found` for a missing session, `conflict` when
 * `expectedLastSeq` no longer matches; touches the session. One `BEGIN IMMEDIATE` transaction.
 */
export function prepareRewrite(db: Database, rows: SessionRows): (request: RewriteRequest) => Outcome<RewriteOutcome, 'not_found' | 'conflict'> {
  const rewriteOne = db.prepare<RewriteParams>(SQL.rewriteOne);
  const run = db.transaction((request: RewriteRequest): Outcome<RewriteOutcome, 'not_found' | 'conflict'> => {
    const row = rows.liveForWrite(request, request.now);
    if (!row) return { failure: 'not_found' };
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== row.last_seq) return { failure: 'conflict', lastSeq: row.last_seq };
    const missing: number[] = [];
    for (const { seq, text } of request.entries) {
      if (rewriteOne.run({ sid: row.sid, seq, body: text }).changes === 0) missing.push(seq);
    }
    rows.touch(row.sid, request.now);
    return { rewritten: request.entries.length - missing.length, missing };
  });
  return (request) => run.immediate(request);
}
