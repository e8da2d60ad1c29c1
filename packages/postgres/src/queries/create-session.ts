import { at, expiry, sessionColumns } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Inserts a new, empty session; no row back when the id is taken (live or expired: the
 * caller resets an expired one and retries).
 *
 * Parameters: $1 user, $2 session, $3 metadata JSON text, $4 now (ms), $5 TTL (ms) or null.
 */
export const createSessionSql = (t: TableNames): string => `
INSERT INTO ${t.sessions} AS s (user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
VALUES ($1, $2, $3::text::json, ${at(4)}, ${at(4)}, ${expiry('$5::bigint', 4)}, $5::bigint, 0, 0)
ON CONFLICT (user_id, id) DO NOTHING
RETURNING ${sessionColumns('s')}`;
