import { at, limit, live, sessionColumns } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * The first page of a user's live sessions, newest `updatedAt` first, ties by id: an index
 * scan of `sessions_list_idx`. `NULLS LAST` is the index's own order: a bare `DESC` means
 * `NULLS FIRST`, which the index cannot serve, and the planner would sort every session of
 * the user instead.
 *
 * Parameters: $1 user, $2 now (ms), $3 rows to read.
 */
export const listSessionsFirstPageSql = (t: TableNames): string => `
SELECT ${sessionColumns('s')} FROM ${t.sessions} s
WHERE s.user_id = $1 AND ${live('s', 2)}
ORDER BY s.updated_at DESC NULLS LAST, s.id LIMIT ${limit(3)}`;

/**
 * The page after a cursor `(updatedAt, id)`: the index scan starts at the cursor's `updatedAt`
 * (a keyset seek, not an offset) and skips the ties up to its id.
 *
 * Parameters: $1 user, $2 now (ms), $3 rows to read, $4 cursor updatedAt (ms), $5 cursor id.
 */
export const listSessionsNextPageSql = (t: TableNames): string => `
SELECT ${sessionColumns('s')} FROM ${t.sessions} s
WHERE s.user_id = $1 AND ${live('s', 2)}
  AND s.updated_at <= ${at(4)} AND (s.updated_at < ${at(4)} OR s.id > $5::text)
ORDER BY s.updated_at DESC NULLS LAST, s.id LIMIT ${limit(3)}`;
