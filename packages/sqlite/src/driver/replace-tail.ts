import type { Outcome, ReplaceTailOutcome, ReplaceTailRequest } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { prepareTailWrite } from './append.js';
import type { SessionRows } from './session-row.js';

/** Parameters of the statement removing a session's tail. */
export interface RemoveTailParams {
  sid: number;
  afterSeq: number;
}

const SQL = {
  removeTail: 'DELETE FROM session_messages WHERE sid = @sid AND seq > @afterSeq',
};

/**
 * `replaceTail`: removes every entry with seq > `afterSeq` and appends the texts with new seqs,
 * in the one transaction of {@link prepareTailWrite} (same key space and compare-and-append as
 * append). With no texts and no session, nothing is created.
 */
export function prepareReplaceTail(db: Database, rows: SessionRows): (request: ReplaceTailRequest) => Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'> {
  const removeTail = db.prepare<RemoveTailParams>(SQL.removeTail);
  return prepareTailWrite(db, rows, (sid, afterSeq) => removeTail.run({ sid, afterSeq }).changes);
}
