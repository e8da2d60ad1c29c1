import { at, expiry, live } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Removes every message of a live session, keeping the session, its metadata, `lastSeq` and
 * idempotency keys; bumps `updatedAt` and slides the expiry. Guarded like {@link popMessageSql}:
 * it acts only when the locked row is the version its snapshot saw, so an append that
 * committed while it waited for the lock is never half-cleared; `live` without `fresh` means
 * "run it again".
 *
 * Parameters: $1 user, $2 session, $3 now (ms).
 */
export const clearSessionSql = (t: TableNames): string => `
WITH locked AS (
  SELECT s.xmin AS version FROM ${t.sessions} s
  WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 3)} FOR UPDATE
),
fresh AS (
  SELECT 1 FROM locked WHERE locked.version = (SELECT xmin FROM ${t.sessions} WHERE user_id = $1 AND id = $2)
),
cleared AS (
  DELETE FROM ${t.messages} m WHERE m.user_id = $1 AND m.session_id = $2 AND EXISTS (SELECT 1 FROM fresh)
),
touched AS (
  UPDATE ${t.sessions} s SET message_count = 0, updated_at = ${at(3)}, expires_at = ${expiry('s.ttl_ms', 3)}
  WHERE s.user_id = $1 AND s.id = $2 AND EXISTS (SELECT 1 FROM fresh)
)
SELECT EXISTS (SELECT 1 FROM locked) AS live, EXISTS (SELECT 1 FROM fresh) AS fresh`;
