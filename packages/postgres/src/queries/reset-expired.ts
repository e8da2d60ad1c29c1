import { at } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Deletes one session if it has expired (its messages and keys go with it, by cascade), so a
 * create or append on its id starts a fresh session, as on a deleted one.
 *
 * Parameters: $1 user, $2 session, $3 now (ms).
 */
export const resetExpiredSql = (t: TableNames): string => `
DELETE FROM ${t.sessions} WHERE user_id = $1 AND id = $2 AND expires_at <= ${at(3)} RETURNING 1 AS deleted`;
