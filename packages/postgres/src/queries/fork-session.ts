import { at, expiry, live, sessionColumns } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Locks a live fork source against writes (a share lock: other forks and reads go on) and
 * reads what the fork copies. Parameters: $1 user, $2 source session, $3 now (ms).
 */
export const lockForkSourceSql = (t: TableNames): string => `
SELECT s.metadata::text AS metadata, s.ttl_ms::float8 AS ttl_ms, s.last_seq::float8 AS last_seq
FROM ${t.sessions} s WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 3)} FOR SHARE`;

/**
 * Creates the fork and copies the source's messages up to `uptoSeq` (same seqs, same
 * `createdAt`) in one statement, after {@link lockForkSourceSql} in the same transaction. No
 * row back when the target id is taken.
 *
 * Parameters: $1 user, $2 source session, $3 target session, $4 uptoSeq, $5 metadata JSON text,
 * $6 now (ms), $7 TTL (ms) or null.
 */
export const forkSessionSql = (t: TableNames): string => `
WITH target AS (
  INSERT INTO ${t.sessions} AS s (user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
  SELECT $1, $3, $5::text::json, ${at(6)}, ${at(6)}, ${expiry('$7::bigint', 6)}, $7::bigint, $4::bigint,
    (SELECT count(*) FROM ${t.messages} WHERE user_id = $1 AND session_id = $2 AND seq <= $4::bigint)
  ON CONFLICT (user_id, id) DO NOTHING
  RETURNING ${sessionColumns('s')}
),
copied AS (
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT $1, $3, m.seq, m.message, m.created_at FROM ${t.messages} m
  WHERE m.user_id = $1 AND m.session_id = $2 AND m.seq <= $4::bigint AND EXISTS (SELECT 1 FROM target)
)
SELECT * FROM target`;
