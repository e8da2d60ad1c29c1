import { limit, live, ms, sessionColumns, type SessionRow } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * A live session with its newest `limit` messages in one statement: one row per message
 * (oldest first), or one row with null message columns when it holds none.
 *
 * Parameters: $1 user, $2 session, $3 now (ms), $4 limit or null (all).
 */
export const getSessionSql = (t: TableNames): string => `
SELECT ${sessionColumns('s')}, m.seq::float8 AS m_seq, ${ms('m.created_at')} AS m_created_at, m.message::text AS m_message
FROM ${t.sessions} s
LEFT JOIN LATERAL (
  SELECT seq, created_at, message FROM ${t.messages}
  WHERE user_id = s.user_id AND session_id = s.id
  ORDER BY seq DESC LIMIT ${limit(4)}
) m ON true
WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 3)}
ORDER BY m.seq`;

/** A row of {@link getSessionSql}. */
export interface SessionWithMessageRow extends SessionRow {
  m_seq: number | null;
  m_created_at: number | null;
  m_message: string | null;
}
