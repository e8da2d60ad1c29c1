import type { RawInspector } from '@sessions/core';
import type { Database } from 'better-sqlite3';

// Each row rendered as its JSON text with every column, by SQLite's own json_object.
const SESSION_JSON = `json_object('table', 'sessions', 'sid', s.sid, 'user_id', s.user_id, 'id', s.id, 'metadata', s.metadata,
  'created_at', s.created_at, 'updated_at', s.updated_at, 'expires_at', s.expires_at, 'ttl_ms', s.ttl_ms,
  'last_seq', s.last_seq, 'message_count', s.message_count)`;
const MESSAGE_JSON = `json_object('table', 'session_messages', 'sid', m.sid, 'seq', m.seq, 'created_at', m.created_at, 'body', m.body)`;
const KEY_JSON = `json_object('table', 'session_idempotency_keys', 'sid', k.sid, 'key', k.key, 'first_seq', k.first_seq,
  'last_seq', k.last_seq, 'removed', k.removed)`;

/**
 * Rows that belong to no session: messages or keys whose session row is gone. They are shown
 * with every user's and every session's records, because such a row is left behind by some
 * delete, whichever user it was.
 */
const ORPHANS = `
  SELECT ${MESSAGE_JSON} AS record FROM session_messages m WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.sid = m.sid)
  UNION ALL SELECT ${KEY_JSON} FROM session_idempotency_keys k WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.sid = k.sid)`;

const recordsWhere = (where: string) => `
  SELECT ${SESSION_JSON} AS record FROM sessions s WHERE ${where}
  UNION ALL SELECT ${MESSAGE_JSON} FROM sessions s JOIN session_messages m ON m.sid = s.sid WHERE ${where}
  UNION ALL SELECT ${KEY_JSON} FROM sessions s JOIN session_idempotency_keys k ON k.sid = s.sid WHERE ${where}
  UNION ALL ${ORPHANS}`;

/**
 * Reads the store's tables directly with plain SQL, bypassing the store: every row of a user or
 * of a session (sessions, messages, idempotency keys, and any row orphaned by a delete), each
 * rendered as JSON text, and the expiry held in the session row. Open it over its own
 * connection to the same file (or the same `:memory:` database object).
 */
export function sqliteInspector(db: Database): RawInspector {
  const userRecords = db.prepare<{ userId: string }, { record: string }>(recordsWhere('s.user_id = @userId'));
  const sessionRecords = db.prepare<{ userId: string; sessionId: string }, { record: string }>(recordsWhere('s.user_id = @userId AND s.id = @sessionId'));
  const expiry = db.prepare<{ userId: string; sessionId: string }, { expires_at: number | null }>(
    'SELECT expires_at FROM sessions WHERE user_id = @userId AND id = @sessionId',
  );
  return {
    userRecords: async (userId) => userRecords.all({ userId }).map((row) => row.record),
    sessionRecords: async (userId, sessionId) => sessionRecords.all({ userId, sessionId }).map((row) => row.record),
    sessionExpiry: async (userId, sessionId) => {
      const row = expiry.get({ userId, sessionId });
      return row === undefined ? undefined : row.expires_at;
    },
  };
}
