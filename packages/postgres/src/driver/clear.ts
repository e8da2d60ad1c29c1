import type { At, SessionRef } from '@sessions/core';
import { sessionKey, type DriverContext } from './context.js';
import { live, touch } from './fragments.js';
import { notifiedCte } from './notify.js';
import { runGuarded, type GuardedParams, type GuardedRow } from './guarded.js';
import { statement } from './statement.js';

/**
 * Removes every message of a live session, keeping the session, its metadata, `lastSeq` and
 * idempotency keys; touches the session. Guarded like the pop statement: it acts only when the
 * locked row is the version its snapshot saw, so an append that committed while it waited for
 * the lock is never half-cleared; `live` without `fresh` means "run it again". Notifies the
 * session's watchers when it acted.
 */
export const clearStatement = statement<GuardedParams, GuardedRow>(
  (t, $) => `
WITH locked AS (
  SELECT s.xmin AS version FROM ${t.sessions} s
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND ${live('s', $('now'))} FOR UPDATE
),
fresh AS (
  SELECT 1 FROM locked WHERE locked.version = (SELECT xmin FROM ${t.sessions} WHERE user_id = ${$('user')} AND id = ${$('session')})
),
cleared AS (
  DELETE FROM ${t.messages} m WHERE m.user_id = ${$('user')} AND m.session_id = ${$('session')} AND EXISTS (SELECT 1 FROM fresh)
),
touched AS (
  UPDATE ${t.sessions} s SET message_count = 0, ${touch('s', $('now'))}
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND EXISTS (SELECT 1 FROM fresh)
),
${notifiedCte(t.channel, $('payload'), 'fresh')}
SELECT EXISTS (SELECT 1 FROM locked) AS live, EXISTS (SELECT 1 FROM fresh) AS fresh FROM (SELECT 1) AS one LEFT JOIN notified ON true`,
);

/** Removes every entry of a live session; a no-op for a missing or expired one. */
export async function clear(ctx: DriverContext, request: SessionRef & At): Promise<void> {
  await runGuarded(ctx, clearStatement, { ...sessionKey(request), now: request.now }, 'clearSession');
}
