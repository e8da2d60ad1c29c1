import { limit, live, ms, sessionColumns } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * A live session with its newest `limit` messages in one statement: one row per message
 * (oldest first), or one row with null message columns when it holds none. The metadata (up
 * to 64 KiB) comes on the newest message's row only, not once per message.
 *
 * Parameters: $1 user, $2 session, $3 now (ms), $4 limit or null (all).
 */
export const getSessionSql = (t: TableNames): string => `
SELECT ${sessionColumns('s', 'CASE WHEN m.newest IS NOT FALSE THEN s.metadata::text END')}, m.seq::float8 AS m_seq, ${ms('m.created_at')} AS m_created_at, m.message::text AS m_message
FROM ${t.sessions} s
LEFT JOIN LATERAL (
  SELECT seq, created_at, message, row_number() OVER (ORDER BY seq DESC) = 1 AS newest FROM ${t.messages}
  WHERE user_id = s.user_id AND session_id = s.id
  ORDER BY seq DESC LIMIT ${limit(4)}
) m ON true
WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 3)}
ORDER BY m.seq`;

/** A row of {@link getSessionSql}. */
export interface SessionWithMessageRow {
  [column: string]: unknown;
  user_id: string;
  id: string;
  /** Set on the newest message's row (or the only row), null on the others. */
  metadata: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  message_count: number;
  last_seq: number;
  m_seq: number | null;
  m_created_at: number | null;
  m_message: string | null;
}
