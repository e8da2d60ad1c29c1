import type { SessionKey } from './context.js';
import { expired } from './fragments.js';
import { statement } from './statement.js';

/** Parameters of {@link lockSessionStatement}. */
export interface LockSessionParams extends SessionKey {
  now: number;
}

/** The row of {@link lockSessionStatement}. */
export interface LockedSessionRow {
  [column: string]: unknown;
  last_seq: number;
  expired: boolean;
  metadata: string;
  ttl_ms: number | null;
}

/**
 * Locks a session row (live or expired) for the rest of a transaction and reads it. Every
 * write to a session's messages locks this row first (an append through its `UPDATE`), so the
 * statements that follow in the transaction (each with a fresh snapshot, READ COMMITTED) see
 * every write committed before, and no other write lands until the commit. It is the lock
 * append takes, taken first, so no deadlock.
 */
export const lockSessionStatement = statement<LockSessionParams, LockedSessionRow>(
  (t, $) => `
SELECT s.last_seq::float8 AS last_seq, ${expired('s', $('now'))} AS expired, s.metadata::text AS metadata, s.ttl_ms::float8 AS ttl_ms
FROM ${t.sessions} s
WHERE s.user_id = ${$('user')} AND s.id = ${$('session')}
FOR UPDATE`,
);

/** Parameters of {@link keyResultStatement}. */
export interface KeyResultParams extends SessionKey {
  /** The idempotency key's storage key. */
  key: string;
}

/** The first result of an idempotency key, read after the session row is locked (so it is current). */
export const keyResultStatement = statement<KeyResultParams, { first_seq: number; last_seq: number; removed: number | null }>(
  (t, $) => `
SELECT first_seq::float8 AS first_seq, last_seq::float8 AS last_seq, removed::float8 AS removed
FROM ${t.keys} WHERE user_id = ${$('user')} AND session_id = ${$('session')} AND key = ${$('key')}`,
);
