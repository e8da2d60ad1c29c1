import type { At } from '@sessions/core';
import type { Runner } from './context.js';
import { live } from './fragments.js';
import { storageKey } from './ids.js';
import { statement } from './statement.js';

/** Parameters of {@link deleteUserStatement}. */
export interface DeleteUserParams {
  user: string;
  now: number;
}

/** Deletes every session of a user (cascading to messages and keys) and counts the live ones. */
export const deleteUserStatement = statement<DeleteUserParams, { deleted: number }>(
  (t, $) => `
WITH gone AS (DELETE FROM ${t.sessions} s WHERE s.user_id = ${$('user')} RETURNING ${live('s', $('now'))} AS live)
SELECT count(*) FILTER (WHERE live)::float8 AS deleted FROM gone`,
);

/** Deletes every session of the user; returns how many were live. */
export async function deleteUser(runner: Runner, request: { userId: string } & At): Promise<number> {
  const [row] = await runner.run(deleteUserStatement, { user: storageKey(request.userId), now: request.now });
  return row?.deleted ?? 0;
}
