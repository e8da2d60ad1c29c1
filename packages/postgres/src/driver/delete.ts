import type { At, SessionRef } from '@sessions/core';
import { sessionKey, type Runner, type SessionKey } from './context.js';
import { live } from './fragments.js';
import { statement } from './statement.js';

/** Parameters of {@link deleteStatement}. */
export interface DeleteParams extends SessionKey {
  now: number;
}

/**
 * Deletes one session; its messages and idempotency keys go by cascade. Returns whether it
 * was live (an expired one is removed too, but counts as already gone).
 */
export const deleteStatement = statement<DeleteParams, { live: boolean }>(
  (t, $) => `
DELETE FROM ${t.sessions} s WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} RETURNING ${live('s', $('now'))} AS live`,
);

/** `true` if a live session was deleted. */
export async function deleteSession(runner: Runner, request: SessionRef & At): Promise<boolean> {
  const [row] = await runner.run(deleteStatement, { ...sessionKey(request), now: request.now });
  return row?.live === true;
}
