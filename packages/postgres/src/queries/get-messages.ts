import { limit, live, ms } from './fragments.js';
import type { TableNames } from './tables.js';

const range = (t: TableNames) => `
  WHERE m.user_id = $1 AND m.session_id = $2 AND m.seq > $3::bigint AND m.seq < $4::bigint
    AND EXISTS (SELECT 1 FROM ${t.sessions} s WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 5)})`;

/**
 * The newest `limit` messages of a seq range of a live session, oldest first: a backward
 * index range scan of at most `limit` rows, whatever the session's length.
 *
 * Parameters: $1 user, $2 session, $3 afterSeq (exclusive), $4 beforeSeq (exclusive), $5 now (ms), $6 limit or null.
 */
export const getNewestMessagesSql = (t: TableNames): string => `
SELECT seq::float8 AS seq, ${ms('created_at')} AS created_at, message::text AS message FROM (
  SELECT m.seq, m.created_at, m.message FROM ${t.messages} m${range(t)}
  ORDER BY m.seq DESC LIMIT ${limit(6)}
) newest ORDER BY seq`;

/** The oldest `limit` messages of the range (for paging forward); same parameters as {@link getNewestMessagesSql}. */
export const getOldestMessagesSql = (t: TableNames): string => `
SELECT m.seq::float8 AS seq, ${ms('m.created_at')} AS created_at, m.message::text AS message
FROM ${t.messages} m${range(t)}
ORDER BY m.seq LIMIT ${limit(6)}`;
