import { at, expiry, live } from './fragments.js';
import type { TableNames } from './tables.js';

// The tail both append statements share: insert the batch with seqs taken from the bumped
// last_seq, record the idempotency key, return the batch's seqs. `bumped` holds the session's
// new last_seq, or no row when a check failed (then nothing is written).
const tail = (t: TableNames) => `
inserted AS (
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT $1, $2, bumped.last_seq - batch.n + m.ord, m.body::json, ${at(4)}
  FROM bumped, batch, unnest($3::text[]) WITH ORDINALITY AS m(body, ord)
),
keyed AS (
  INSERT INTO ${t.keys} (user_id, session_id, key, first_seq, last_seq, created_at)
  SELECT $1, $2, $6, bumped.last_seq - batch.n + 1, bumped.last_seq, ${at(4)}
  FROM bumped, batch WHERE $6::text IS NOT NULL
)
SELECT (bumped.last_seq - batch.n + 1)::float8 AS first_seq, bumped.last_seq::float8 AS last_seq FROM bumped, batch`;

// The checks of an append on an existing row, in the contract's order: live, then the
// idempotency key, then expectedLastSeq. Evaluated on the locked, latest row version.
const checks = (t: TableNames) => `${live('s', 4)}
    AND ($6::text IS NULL OR NOT EXISTS (SELECT 1 FROM ${t.keys} k WHERE k.user_id = $1 AND k.session_id = $2 AND k.key = $6))
    AND ($5::bigint IS NULL OR s.last_seq = $5::bigint)`;

/**
 * Append that creates the session when missing, in one round trip: an upsert of the session
 * row bumps `last_seq` by the batch size (its row lock serialises appenders of one session, so
 * seqs are contiguous and nothing is lost), then the batch and the idempotency key are inserted.
 * Used when `create` is true and `expectedLastSeq` is absent or 0 (a new session has lastSeq 0).
 * No row back means a check failed: the caller reads the state to say which.
 *
 * Parameters: $1 user, $2 session, $3 message JSON texts (text[]), $4 now (ms),
 * $5 expectedLastSeq or null, $6 idempotency key or null, $7 TTL (ms) of a new session or null.
 */
export const appendOrCreateSql = (t: TableNames): string => `
WITH batch AS (SELECT cardinality($3::text[]) AS n),
bumped AS (
  INSERT INTO ${t.sessions} AS s (user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
  SELECT $1, $2, '{}', ${at(4)}, ${at(4)}, ${expiry('$7::bigint', 4)}, $7::bigint, batch.n, batch.n FROM batch
  ON CONFLICT (user_id, id) DO UPDATE SET
    last_seq = s.last_seq + excluded.last_seq,
    message_count = s.message_count + excluded.message_count,
    updated_at = excluded.updated_at,
    expires_at = ${expiry('s.ttl_ms', 4)}
  WHERE ${checks(t)}
  RETURNING s.last_seq
),${tail(t)}`;

/**
 * Append to an existing session only (`create: false`, or an `expectedLastSeq` above 0, which
 * a missing session cannot match). Same parameters as {@link appendOrCreateSql} but no $7.
 */
export const appendExistingSql = (t: TableNames): string => `
WITH batch AS (SELECT cardinality($3::text[]) AS n),
bumped AS (
  UPDATE ${t.sessions} AS s SET
    last_seq = s.last_seq + batch.n,
    message_count = s.message_count + batch.n,
    updated_at = ${at(4)},
    expires_at = ${expiry('s.ttl_ms', 4)}
  FROM batch
  WHERE s.user_id = $1 AND s.id = $2 AND ${checks(t)}
  RETURNING s.last_seq
),${tail(t)}`;
