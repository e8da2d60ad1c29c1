import { live } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Locks a live session for `restoreMessages` and reads its `lastSeq`.
 * Parameters: $1 user, $2 session, $3 now (ms).
 */
export const lockRestoreTargetSql = (t: TableNames): string => `
SELECT s.last_seq::float8 AS last_seq FROM ${t.sessions} s
WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 3)} FOR UPDATE`;

/** The highest seq a session holds (null when none). Parameters: $1 user, $2 session. */
export const highestSeqSql = (t: TableNames): string => `
SELECT max(seq)::float8 AS highest FROM ${t.messages} WHERE user_id = $1 AND session_id = $2`;

/**
 * Inserts restored messages with their own seqs and `createdAt`, and counts them into the
 * session's `message_count` (not `lastSeq`, `updatedAt` or expiry).
 * Parameters: $1 user, $2 session, $3 seqs (bigint[]), $4 createdAt ms (float8[]), $5 JSON texts (text[]).
 */
export const restoreMessagesSql = (t: TableNames): string => `
WITH inserted AS (
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT $1, $2, r.seq, r.body::json, to_timestamp(r.created_ms / 1000)
  FROM unnest($3::bigint[], $4::float8[], $5::text[]) AS r(seq, created_ms, body)
  RETURNING 1
)
UPDATE ${t.sessions} s SET message_count = s.message_count + (SELECT count(*) FROM inserted)
WHERE s.user_id = $1 AND s.id = $2`;

