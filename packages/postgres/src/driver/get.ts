import type { GetRequest, SessionWithEntries } from '@sessions/core';
import { sessionKey, type Runner, type SessionKey } from './context.js';
import { limit, live, ms, sessionColumns } from './fragments.js';
import { toSessionInfo } from './rows.js';
import { statement } from './statement.js';

/** Parameters of {@link getStatement}. */
export interface GetParams extends SessionKey {
  now: number;
  /** How many of the newest messages to read; null = all. */
  limit: number | null;
}

/** A row of {@link getStatement}. */
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

/**
 * A live session with its newest `limit` messages in one statement: one row per message
 * (oldest first), or one row with null message columns when it holds none. The metadata (up
 * to 64 KiB) comes on the newest message's row only, not once per message.
 */
export const getStatement = statement<GetParams, SessionWithMessageRow>(
  (t, $) => `
SELECT ${sessionColumns('s', 'CASE WHEN m.newest IS NOT FALSE THEN s.metadata::text END')},
  m.seq::float8 AS m_seq, ${ms('m.created_at')} AS m_created_at, m.message::text AS m_message
FROM ${t.sessions} s
LEFT JOIN LATERAL (
  SELECT seq, created_at, message, row_number() OVER (ORDER BY seq DESC) = 1 AS newest FROM ${t.messages}
  WHERE user_id = s.user_id AND session_id = s.id
  ORDER BY seq DESC LIMIT ${limit($('limit'))}
) m ON true
WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND ${live('s', $('now'))}
ORDER BY m.seq`,
);

/** A live session with its newest `limit` entries, or `null`. */
export async function get(runner: Runner, request: GetRequest): Promise<SessionWithEntries | null> {
  const rows = await runner.run(getStatement, { ...sessionKey(request), now: request.now, limit: request.limit ?? null });
  const head = rows.find((r): r is SessionWithMessageRow & { metadata: string } => r.metadata !== null);
  if (!head) return null;
  const entries = [];
  for (const r of rows) {
    if (r.m_seq !== null && r.m_created_at !== null && r.m_message !== null) entries.push({ seq: r.m_seq, createdAt: r.m_created_at, text: r.m_message });
  }
  return { session: toSessionInfo(head), entries };
}
