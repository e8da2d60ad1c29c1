import { at, limit } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Deletes one batch of expired sessions (messages and keys by cascade). Rows another
 * transaction holds are skipped rather than waited for, and each batch is its own short
 * statement, so a purge never holds many locks for long.
 *
 * Parameters: $1 now (ms), $2 batch size.
 */
export const purgeExpiredSql = (t: TableNames): string => `
WITH doomed AS (
  SELECT user_id, id FROM ${t.sessions}
  WHERE expires_at <= ${at(1)}
  ORDER BY expires_at LIMIT ${limit(2)}
  FOR UPDATE SKIP LOCKED
)
DELETE FROM ${t.sessions} s USING doomed d
WHERE s.user_id = d.user_id AND s.id = d.id
RETURNING 1 AS deleted`;
