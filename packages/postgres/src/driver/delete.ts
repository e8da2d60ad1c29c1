import type { At, SessionRef } from '@sessions/core';
import { sessionKey, type Notifies, type Runner, type SessionKey } from './context.js';
import { live } from './fragments.js';
import { notifiedCte } from './notify.js';
import { statement } from './statement.js';

/** Parameters of {@link deleteStatement}. */
export interface DeleteParams extends SessionKey, Notifies {
  now: number;
}

/**
 * Deletes one session; its messages and idempotency keys go by cascade. Returns whether it
 * was live (an expired one is removed too, but counts as already gone). Notifies watchers.
 */
export const deleteStatement = statement<DeleteParams, { live: boolean }>(
  (t, $) => `
WITH gone AS (DELETE FROM ${t.sessions} s WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} RETURNING ${live('s', $('now'))} AS live),
${notifiedCte(t.channel, $('payload'), 'gone')}
SELECT gone.live FROM gone, notified`,
);

/** `true` if a live session was deleted. */
export async function deleteSession(runner: Runner, request: SessionRef & At): Promise<boolean> {
  const [row] = await runner.run(deleteStatement, { ...sessionKey(request), now: request.now });
  return row?.live === true;
}
