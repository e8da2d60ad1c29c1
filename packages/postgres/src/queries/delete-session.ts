import { live } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Deletes one session; its messages and idempotency keys go by cascade. Returns whether it
 * was live (an expired one is removed too, but counts as already gone).
 * Parameters: $1 user, $2 session, $3 now (ms).
 */
export const deleteSessionSql = (t: TableNames): string => `
DELETE FROM ${t.sessions} s WHERE s.user_id = $1 AND s.id = $2 RETURNING ${live('s', 3)} AS live`;

/**
 * Deletes every session of a user (cascading to messages and keys) and counts the live ones.
 * Parameters: $1 user, $2 now (ms).
 */
export const deleteUserSql = (t: TableNames): string => `
WITH gone AS (DELETE FROM ${t.sessions} s WHERE s.user_id = $1 RETURNING ${live('s', 2)} AS live)
SELECT count(*) FILTER (WHERE live)::float8 AS deleted FROM gone`;
