/**
 * SQL pieces the statements share. Times travel as ms since the epoch (`float8` parameters,
 * `float8` results) rather than as timestamps, so neither client's date parsing is involved and
 * the store's clock (the request's `now`) is the only source of "now". Each takes the
 * placeholder text of its parameter (`$3`).
 */

/** The instant in ms held by parameter `p`, as a `timestamptz`. */
export const at = (p: string): string => `to_timestamp(${p}::float8 / 1000)`;

/** A timestamp column in ms since the epoch (exact: `extract` returns numeric). */
export const ms = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * A row limit held by parameter `p` (null = no limit), as an uncorrelated sub-select. With a
 * bare `LIMIT $n` PostgreSQL plans every execution anew: the plan for a known small limit looks
 * cheaper than the cached generic one, so the cache never settles on it. A sub-select's value is
 * unknown to the planner either way, so the generic plan (the same backward index scan) is
 * kept after the first executions and nothing is re-planned.
 */
export const limit = (p: string): string => `(SELECT ${p}::bigint)`;

/** `true` while the session row `alias` has not expired at the instant in `now`. */
export const live = (alias: string, now: string): string => `(${alias}.expires_at IS NULL OR ${alias}.expires_at > ${at(now)})`;

/** `true` when the session row `alias` has expired at the instant in `now`. */
export const expired = (alias: string, now: string): string => `(${alias}.expires_at IS NOT NULL AND ${alias}.expires_at <= ${at(now)})`;

/** The new expiry of a session row written at `now` whose TTL column (or expression) is `ttl`. */
export const expiry = (ttl: string, now: string): string => `CASE WHEN ${ttl} IS NULL THEN NULL ELSE to_timestamp((${now}::float8 + ${ttl}) / 1000) END`;

/** The columns a write sets on the session row it touches: `updated_at` and the slid expiry. */
export const touch = (alias: string, now: string): string => `updated_at = ${at(now)}, expires_at = ${expiry(`${alias}.ttl_ms`, now)}`;

/**
 * The columns of a session record, as {@link SessionRow} reads them: the ids as the caller gave
 * them (the `*_full` column when the key column holds a storage key). `metadata` is the
 * expression read as its metadata.
 */
export const sessionColumns = (alias: string, metadata = `${alias}.metadata::text`): string =>
  [
    `coalesce(${alias}.user_id_full, ${alias}.user_id) AS user_id`,
    `coalesce(${alias}.id_full, ${alias}.id) AS id`,
    `${metadata} AS metadata`,
    `${ms(`${alias}.created_at`)} AS created_at`,
    `${ms(`${alias}.updated_at`)} AS updated_at`,
    `${ms(`${alias}.expires_at`)} AS expires_at`,
    `${alias}.message_count::float8 AS message_count`,
    `${alias}.last_seq::float8 AS last_seq`,
  ].join(', ');

/** A session record as the statements return it. */
export interface SessionRow {
  [column: string]: unknown;
  user_id: string;
  id: string;
  metadata: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  message_count: number;
  last_seq: number;
}

/** A message as the statements return it. */
export interface MessageRow {
  [column: string]: unknown;
  seq: number;
  created_at: number;
  message: string;
}
