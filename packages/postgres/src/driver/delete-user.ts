import type { At } from '@sessions/core';
import type { Runner } from './context.js';
import { live } from './fragments.js';
import { storageKey } from './ids.js';
import { notifiedCte, userPayload } from './notify.js';
import { statement } from './statement.js';

/** Parameters of {@link deleteUserStatement}. */
export interface DeleteUserParams {
  user: string;
  now: number;
  /** The user's notification payload: watchers of any of its sessions wake (see `notify.ts`). */
  payload: string;
}

/**
 * Deletes every session of a user (cascading to messages and keys) and counts the live ones;
 * one notification with the user's payload wakes the watchers of all of them.
 */
export const deleteUserStatement = statement<DeleteUserParams, { deleted: number }>(
  (t, $) => `
WITH gone AS (DELETE FROM ${t.sessions} s WHERE s.user_id = ${$('user')} RETURNING ${live('s', $('now'))} AS live),
${notifiedCte(t.channel, $('payload'))}
SELECT (SELECT count(*) FILTER (WHERE live) FROM gone)::float8 AS deleted FROM notified`,
);

/** Deletes every session of the user; returns how many were live. */
export async function deleteUser(runner: Runner, request: { userId: string } & At): Promise<number> {
  const user = storageKey(request.userId);
  const [row] = await runner.run(deleteUserStatement, { user, now: request.now, payload: userPayload(user) });
  return row?.deleted ?? 0;
}
