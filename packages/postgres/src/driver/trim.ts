import type { TrimRequest } from '@sessions/core';
import { sessionKey, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { touch } from './fragments.js';
import { notifiedCte } from './notify.js';
import { lockSessionStatement } from './lock-session.js';
import { statement } from './statement.js';

/** Parameters of {@link trimStatement}. */
export interface TrimParams extends SessionKey, Notifies {
  beforeSeq: number;
  now: number;
}

/**
 * Removes the messages before `beforeSeq`, keeps `message_count` exact, touches the
 * session and notifies its watchers. Runs after {@link lockSessionStatement} in the same transaction.
 */
export const trimStatement = statement<TrimParams, { removed: number }>(
  (t, $) => `
WITH removed AS (
  DELETE FROM ${t.messages} WHERE user_id = ${$('user')} AND session_id = ${$('session')} AND seq < ${$('beforeSeq')}::bigint
  RETURNING 1
),
touched AS (
  UPDATE ${t.sessions} s SET message_count = s.message_count - (SELECT count(*) FROM removed), ${touch('s', $('now'))}
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')}
),
${notifiedCte(t.channel, $('payload'))}
SELECT (SELECT count(*) FROM removed)::float8 AS removed FROM notified`,
);

/** Removes a live session's prefix in one transaction; 0 for a missing or expired session. */
export async function trim(ctx: DriverContext, request: TrimRequest): Promise<number> {
  const key = sessionKey(request);
  return ctx.transaction(async (tx) => {
    const [row] = await tx.run(lockSessionStatement, { ...key, now: request.now });
    if (!row || row.expired) return 0;
    const [result] = await tx.run(trimStatement, { ...key, beforeSeq: request.beforeSeq, now: request.now });
    return result?.removed ?? 0;
  });
}
