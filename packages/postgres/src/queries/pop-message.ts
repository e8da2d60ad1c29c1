import { at, expiry, live, ms } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Removes and returns the newest message of a live session in one statement.
 *
 * The session row is locked first (`locked`); the statement then acts only if that row is the
 * same version its snapshot saw (`fresh`, by `xmin`). Every write to a session's messages
 * also updates its row, so an unchanged row means the snapshot's messages are current: the
 * newest one it sees is the newest one there is. If another writer got in between (the lock
 * waited), nothing is written and `live` without `fresh` tells the caller to run it again.
 *
 * Parameters: $1 user, $2 session, $3 now (ms).
 */
export const popMessageSql = (t: TableNames): string => `
WITH locked AS (
  SELECT s.xmin AS version FROM ${t.sessions} s
  WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 3)} FOR UPDATE
),
fresh AS (
  SELECT 1 FROM locked WHERE locked.version = (SELECT xmin FROM ${t.sessions} WHERE user_id = $1 AND id = $2)
),
popped AS (
  DELETE FROM ${t.messages} m
  WHERE m.user_id = $1 AND m.session_id = $2 AND EXISTS (SELECT 1 FROM fresh)
    AND m.seq = (SELECT max(seq) FROM ${t.messages} WHERE user_id = $1 AND session_id = $2)
  RETURNING m.seq, m.created_at, m.message
),
touched AS (
  UPDATE ${t.sessions} s SET message_count = s.message_count - 1, updated_at = ${at(3)}, expires_at = ${expiry('s.ttl_ms', 3)}
  WHERE s.user_id = $1 AND s.id = $2 AND EXISTS (SELECT 1 FROM popped)
)
SELECT EXISTS (SELECT 1 FROM locked) AS live, EXISTS (SELECT 1 FROM fresh) AS fresh,
  popped.seq::float8 AS seq, ${ms('popped.created_at')} AS created_at, popped.message::text AS message
FROM (SELECT 1) AS one LEFT JOIN popped ON true`;

/** The row of {@link popMessageSql}. */
export interface PopRow {
  [column: string]: unknown;
  live: boolean;
  fresh: boolean;
  seq: number | null;
  created_at: number | null;
  message: string | null;
}
