import type { Outcome, ReplaceTailOutcome, ReplaceTailRequest } from '@sessions/core';
import { MAX_ATTEMPTS, sessionKey, type DriverContext, type Notifies, type Runner, type SessionKey } from './context.js';
import { createParams, createStatement } from './create.js';
import { PostgresDriverError } from './errors.js';
import { at, touch } from './fragments.js';
import { storageKey } from './ids.js';
import { notifiedCte } from './notify.js';
import { keyResultStatement, lockSessionStatement, type LockedSessionRow } from './lock-session.js';
import { resetExpired } from './reset-expired.js';
import { statement } from './statement.js';

/** Parameters of {@link replaceTailStatement}. */
export interface ReplaceTailParams extends SessionKey, Notifies {
  afterSeq: number;
  /** The session's lastSeq, read under the row lock: new seqs start after it. */
  lastSeq: number;
  /** The new texts as one JSON array of strings. */
  texts: string;
  count: number;
  key: string | null;
  now: number;
}

/**
 * Removes the messages after `afterSeq` and appends the new ones after `lastSeq` (never reusing
 * a seq), records the idempotency key with the result, touches the session and notifies its
 * watchers (sent when the transaction commits). Runs after
 * {@link lockSessionStatement} in the same transaction, so its snapshot holds every committed
 * message of the session and no other write can interleave.
 */
export const replaceTailStatement = statement<ReplaceTailParams, { removed: number }>(
  (t, $) => `
WITH removed AS (
  DELETE FROM ${t.messages} WHERE user_id = ${$('user')} AND session_id = ${$('session')} AND seq > ${$('afterSeq')}::bigint
  RETURNING 1
),
inserted AS (
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT ${$('user')}, ${$('session')}, ${$('lastSeq')}::bigint + m.ord, m.body::json, ${at($('now'))}
  FROM json_array_elements_text(${$('texts')}::text::json) WITH ORDINALITY AS m(body, ord)
),
keyed AS (
  INSERT INTO ${t.keys} (user_id, session_id, key, first_seq, last_seq, removed, created_at)
  SELECT ${$('user')}, ${$('session')}, ${$('key')}::text, ${$('lastSeq')}::bigint + 1, ${$('lastSeq')}::bigint + ${$('count')}::bigint,
    (SELECT count(*) FROM removed), ${at($('now'))}
  WHERE ${$('key')}::text IS NOT NULL
),
touched AS (
  UPDATE ${t.sessions} s SET last_seq = ${$('lastSeq')}::bigint + ${$('count')}::bigint,
    message_count = s.message_count - (SELECT count(*) FROM removed) + ${$('count')}::bigint, ${touch('s', $('now'))}
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')}
),
${notifiedCte(t.channel, $('payload'))}
SELECT (SELECT count(*) FROM removed)::float8 AS removed FROM notified`,
);

/**
 * Replaces a session's tail in one transaction: lock the session row (creating the session
 * when asked), decide (duplicate key, `expectedLastSeq`), then one statement removes and
 * inserts. The checks run in the contract's order, as for append.
 */
export async function replaceTail(ctx: DriverContext, request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
  const key = request.idempotencyKey === undefined ? null : storageKey(request.idempotencyKey);
  return ctx.transaction(async (tx) => {
    const locked = await lockOrCreate(tx, request);
    if ('failure' in locked || 'result' in locked) return 'failure' in locked ? locked : locked.result;
    const row = locked.row;
    const [applied] = key === null ? [] : await tx.run(keyResultStatement, { ...sessionKey(request), key });
    if (applied) return { removed: applied.removed ?? 0, firstSeq: applied.first_seq, lastSeq: applied.last_seq, duplicate: true };
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== row.last_seq) return { failure: 'conflict', lastSeq: row.last_seq };
    const [written] = await tx.run(replaceTailStatement, {
      ...sessionKey(request),
      afterSeq: request.afterSeq,
      lastSeq: row.last_seq,
      texts: JSON.stringify(request.texts),
      count: request.texts.length,
      key,
      now: request.now,
    });
    const lastSeq = row.last_seq + request.texts.length;
    return { removed: written?.removed ?? 0, firstSeq: row.last_seq + 1, lastSeq, duplicate: false };
  });
}

type Locked =
  | { row: LockedSessionRow }
  | { result: ReplaceTailOutcome }
  | { failure: 'not_found' }
  | { failure: 'conflict'; lastSeq: number };

/**
 * Locks the live session, or settles the call for a missing one: a conflict when
 * `expectedLastSeq` is not 0, the empty result for an empty write (nothing is created),
 * `not_found` without `create`; else creates it (empty, locked by the insert).
 */
async function lockOrCreate(tx: Runner, request: ReplaceTailRequest): Promise<Locked> {
  const keyed = { ...sessionKey(request), now: request.now };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [row] = await tx.run(lockSessionStatement, keyed);
    if (row && !row.expired) return { row };
    if (row) await resetExpired(tx, keyed);
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== 0) return { failure: 'conflict', lastSeq: 0 };
    if (request.texts.length === 0) return { result: { removed: 0, firstSeq: 1, lastSeq: 0, duplicate: false } };
    if (!request.create) return { failure: 'not_found' };
    const [created] = await tx.run(createStatement, createParams({ ...request, metadata: {} }));
    if (created) return { row: { last_seq: 0, expired: false, metadata: '{}', ttl_ms: request.ttlMs } };
    // A concurrent writer created it first; the next round locks theirs.
  }
  throw new PostgresDriverError('UNAVAILABLE', `replaceTail lost the race for its session ${MAX_ATTEMPTS} times; retry later`);
}
