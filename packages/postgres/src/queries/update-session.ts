import { at, expiry, live, sessionColumns } from './fragments.js';
import type { TableNames } from './tables.js';

/**
 * Locks a live session for `updateSession` (the metadata merge happens in the client, whose
 * size check needs the merged object). Parameters: $1 user, $2 session, $3 now (ms).
 */
export const lockSessionSql = (t: TableNames): string => `
SELECT s.metadata::text AS metadata, s.ttl_ms::float8 AS ttl_ms FROM ${t.sessions} s
WHERE s.user_id = $1 AND s.id = $2 AND ${live('s', 3)} FOR UPDATE`;

/**
 * Writes the merged metadata and TTL of a locked session, bumps `updatedAt`, slides the expiry.
 * Parameters: $1 user, $2 session, $3 metadata JSON text, $4 now (ms), $5 TTL (ms) or null.
 */
export const updateSessionSql = (t: TableNames): string => `
UPDATE ${t.sessions} AS s SET metadata = $3::text::json, ttl_ms = $5::bigint, updated_at = ${at(4)},
  expires_at = ${expiry('$5::bigint', 4)}
WHERE s.user_id = $1 AND s.id = $2
RETURNING ${sessionColumns('s')}`;
