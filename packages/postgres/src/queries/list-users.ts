import { limit, live } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * One page of the users that have a live session, in id order after `$1`.
 * Parameters: $1 the last user of the previous page ('' for the first), $2 now (ms), $3 page size.
 */
export const listUsersSql = (t: TableNames): string => `
SELECT DISTINCT s.user_id FROM ${t.sessions} s
WHERE s.user_id > $1::text AND ${live('s', 2)}
ORDER BY s.user_id LIMIT ${limit(3)}`;
