import { at } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Why an append wrote nothing: the session's state and the idempotency key's first result.
 * Read only on the slow path, after an append statement returned no row.
 *
 * Parameters: $1 user, $2 session, $3 now (ms), $4 idempotency key or null.
 */
export const appendStateSql = (t: TableNames): string => `
SELECT s.last_seq::float8 AS last_seq,
  (s.expires_at IS NOT NULL AND s.expires_at <= ${at(3)}) AS expired,
  k.first_seq::float8 AS key_first_seq, k.last_seq::float8 AS key_last_seq
FROM (SELECT 1) AS one
LEFT JOIN ${t.sessions} s ON s.user_id = $1 AND s.id = $2
LEFT JOIN ${t.keys} k ON k.user_id = $1 AND k.session_id = $2 AND k.key = $4::text`;

/** A row of {@link appendStateSql}. */
export interface AppendStateRow {
  [column: string]: unknown;
  last_seq: number | null;
  expired: boolean | null;
  key_first_seq: number | null;
  key_last_seq: number | null;
}
