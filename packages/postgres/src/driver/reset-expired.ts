import { at } from './fragments.js';
import type { Runner, SessionKey } from './context.js';
import { statement } from './statement.js';

/** Parameters of {@link resetExpiredStatement}. */
export interface ResetExpiredParams extends SessionKey {
  now: number;
}

/**
 * Deletes one session if it has expired (its messages and keys go with it, by cascade), so a
 * write on its id starts a fresh session, as on a deleted one. Returns a row when it deleted.
 */
export const resetExpiredStatement = statement<ResetExpiredParams, { deleted: number }>(
  (t, $) => `
DELETE FROM ${t.sessions} WHERE user_id = ${$('user')} AND id = ${$('session')} AND expires_at <= ${at($('now'))}
RETURNING 1 AS deleted`,
);

/** Deletes the session if it has expired at `now`; `true` when it did. */
export async function resetExpired(runner: Runner, params: ResetExpiredParams): Promise<boolean> {
  return (await runner.run(resetExpiredStatement, params)).length > 0;
}
