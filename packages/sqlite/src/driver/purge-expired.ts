import type { At } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import type { SessionRows } from './session-row.js';

/** Parameters of one purge round. */
export interface PurgeParams {
  now: number;
  batchSize: number;
}

const SQL = {
  // Walks sessions_expiry_idx from the oldest expiry.
  expired: 'SELECT sid FROM sessions WHERE expires_at IS NOT NULL AND expires_at <= @now ORDER BY expires_at LIMIT @batchSize',
};

/**
 * `purgeExpired`: deletes expired sessions with their entries and keys, `batchSize` sessions per
 * `BEGIN IMMEDIATE` transaction (so other writers wait for one round at most), and returns how
 * many. Each session goes through the shared drop of {@link SessionRows}.
 */
export function preparePurgeExpired(db: Database, rows: SessionRows): (request: { batchSize: number } & At) => number {
  const expired = db.prepare<PurgeParams, { sid: number }>(SQL.expired);
  const round = db.transaction((params: PurgeParams): number => {
    const found = expired.all(params);
    for (const { sid } of found) rows.drop(sid);
    return found.length;
  });
  return (request) => {
    const params: PurgeParams = { now: request.now, batchSize: request.batchSize };
    let total = 0;
    for (;;) {
      const removed = round.immediate(params);
      total += removed;
      if (removed < request.batchSize) return total;
    }
  };
}
