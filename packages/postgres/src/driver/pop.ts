import type { At, SessionRef, StoredEntry } from '@sessions/core';
import { sessionKey, type DriverContext } from './context.js';
import { at, expiry, live, ms } from './fragments.js';
import { notifiedCte } from './notify.js';
import { runGuarded, type GuardedParams, type GuardedRow } from './guarded.js';
import { statement } from './statement.js';

/** The row of {@link popStatement}. */
export interface PopRow extends GuardedRow {
  seq: number | null;
  created_at: number | null;
  message: string | null;
}

/**
 * Removes and returns the newest message of a live session in one statement.
 *
 * The session row is locked first (`locked`); the statement then acts only if that row is the
 * same version its snapshot saw (`fresh`, by `xmin`). Every write to a session's messages
 * also updates its row, so an unchanged row means the snapshot's messages are current: the
 * newest one it sees is the newest one there is. If another writer got in between (the lock
 * waited), nothing is written and `live` without `fresh` tells the caller to run it again.
 * A popped message notifies the session's watchers.
 */
export const popStatement = statement<GuardedParams, PopRow>(
  (t, $) => `
WITH locked AS (
  SELECT s.xmin AS version FROM ${t.sessions} s
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND ${live('s', $('now'))} FOR UPDATE
),
fresh AS (
  SELECT 1 FROM locked WHERE locked.version = (SELECT xmin FROM ${t.sessions} WHERE user_id = ${$('user')} AND id = ${$('session')})
),
popped AS (
  DELETE FROM ${t.messages} m
  WHERE m.user_id = ${$('user')} AND m.session_id = ${$('session')} AND EXISTS (SELECT 1 FROM fresh)
    AND m.seq = (SELECT max(seq) FROM ${t.messages} WHERE user_id = ${$('user')} AND session_id = ${$('session')})
  RETURNING m.seq, m.created_at, m.message
),
touched AS (
  UPDATE ${t.sessions} s SET message_count = s.message_count - 1, updated_at = ${at($('now'))}, expires_at = ${expiry('s.ttl_ms', $('now'))}
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND EXISTS (SELECT 1 FROM popped)
),
${notifiedCte(t.channel, $('payload'), 'popped')}
SELECT EXISTS (SELECT 1 FROM locked) AS live, EXISTS (SELECT 1 FROM fresh) AS fresh,
  popped.seq::float8 AS seq, ${ms('popped.created_at')} AS created_at, popped.message::text AS message
FROM (SELECT 1) AS one LEFT JOIN popped ON true LEFT JOIN notified ON true`,
);

/** Removes and returns the newest entry of a live session; `null` when missing, expired or empty. */
export async function pop(ctx: DriverContext, request: SessionRef & At): Promise<StoredEntry | null> {
  const row = await runGuarded(ctx, popStatement, { ...sessionKey(request), now: request.now }, 'popMessage');
  return row?.seq != null && row.created_at !== null && row.message !== null ? { seq: row.seq, createdAt: row.created_at, text: row.message } : null;
}
