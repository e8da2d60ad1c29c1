import type { RawInspector } from '@sessions/core';
import { storageKey } from '../driver/ids.js';

/** Runs a plain SQL read (a postgres.js client or a PGlite, adapted by the caller). */
export type RawQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Reads the store's tables in `schema` directly, with plain SQL: every row of a user or a
 * session (sessions, messages, idempotency keys), each rendered as its JSON text. Ids too long
 * for a key column are looked up by their storage key, as the store does.
 */
export function postgresInspector(query: RawQuery, schema: string): RawInspector {
  const s = quote(schema);
  const rowsOf = async (where: string, sessionWhere: string, params: unknown[]) => {
    const rows = await query(
      `SELECT row_to_json(t)::text AS record FROM ${s}.sessions t WHERE ${sessionWhere}
       UNION ALL SELECT row_to_json(t)::text FROM ${s}.session_messages t WHERE ${where}
       UNION ALL SELECT row_to_json(t)::text FROM ${s}.session_idempotency_keys t WHERE ${where}`,
      params,
    );
    return rows.map((r) => String(r['record']));
  };
  return {
    userRecords: (userId) => rowsOf('t.user_id = $1', 't.user_id = $1', [storageKey(userId)]),
    sessionRecords: (userId, sessionId) =>
      rowsOf('t.user_id = $1 AND t.session_id = $2', 't.user_id = $1 AND t.id = $2', [storageKey(userId), storageKey(sessionId)]),
    sessionExpiry: async (userId, sessionId) => {
      const rows = await query(
        `SELECT (extract(epoch FROM expires_at) * 1000)::float8 AS expires FROM ${s}.sessions WHERE user_id = $1 AND id = $2`,
        [storageKey(userId), storageKey(sessionId)],
      );
      if (rows.length === 0) return undefined;
      return (rows[0]!['expires'] as number | null) ?? null;
    },
  };
}
