import { at } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Creates a session exactly as a snapshot describes it (times, metadata, lastSeq), with no
 * messages. No row back when the id is taken.
 *
 * Parameters: $1 user, $2 session, $3 metadata JSON text, $4 createdAt, $5 updatedAt,
 * $6 expiresAt or null (ms), $7 TTL (ms) or null, $8 lastSeq.
 */
export const restoreSessionSql = (t: TableNames): string => `
INSERT INTO ${t.sessions} (user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
VALUES ($1, $2, $3::text::json, ${at(4)}, ${at(5)}, CASE WHEN $6::float8 IS NULL THEN NULL ELSE ${at(6)} END, $7::bigint, $8::bigint, 0)
ON CONFLICT (user_id, id) DO NOTHING
RETURNING 1 AS created`;
