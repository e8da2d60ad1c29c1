import type { SessionStore } from '@sessions/core';
import { CliError } from '../cli-error.js';
import type { Output } from '../output.js';

/** `sessions rm <user> <session>`: deletes one session. Exit 1 when it did not exist. */
export async function rm(store: SessionStore, output: Output, userId: string, sessionId: string): Promise<void> {
  const deleted = await store.deleteSession(userId, sessionId);
  if (!deleted) throw new CliError(`no session ${JSON.stringify(sessionId)} for user ${JSON.stringify(userId)}: nothing deleted`);
  output.result({ deleted: true }, () => `deleted session ${sessionId} of ${userId}`);
}

/** `sessions rm-user <user>`: deletes every session of the user. */
export async function rmUser(store: SessionStore, output: Output, userId: string): Promise<void> {
  const deleted = await store.deleteUser(userId);
  output.result({ deleted }, () => `deleted ${deleted} session${deleted === 1 ? '' : 's'} of ${userId}`);
}

/** `sessions prune`: deletes expired sessions. */
export async function prune(store: SessionStore, output: Output, batchSize?: number): Promise<void> {
  const deleted = await store.purgeExpired(batchSize === undefined ? {} : { batchSize });
  output.result({ deleted }, () => `pruned ${deleted} expired session${deleted === 1 ? '' : 's'}`);
}

/** `sessions health`: round-trips to the backend; exit 1 when it is not healthy. */
export async function health(store: SessionStore, output: Output): Promise<void> {
  const status = await store.health();
  output.result({ backend: store.backend, ...status }, () =>
    `${store.backend}: ${status.ok ? 'ok' : 'NOT OK'} in ${status.latencyMs.toFixed(1)} ms${status.detail ? ` (${status.detail})` : ''}`,
  );
  if (!status.ok) throw new CliError(`${store.backend} is not healthy${status.detail ? `: ${status.detail}` : ''}`);
}
