import type { JsonObject, StoredMessage } from '@sessions/core';
import { errors, mapDriverError } from './errors.js';
import type { PopRow } from './queries/pop-message.js';
import { toStoredMessage } from './rows.js';
import { MAX_ATTEMPTS, type StoreContext } from './store-context.js';

async function runGuarded<M extends JsonObject, R extends { live: boolean; fresh: boolean }>(
  ctx: StoreContext<M>,
  operation: string,
  text: string,
  userId: string,
  sessionId: string,
): Promise<R | null> {
  // The statement acts only on the session version its snapshot saw; when another writer got
  // in while it waited for the row lock (live but not fresh), it runs again on a new snapshot.
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let row: R | undefined;
    try {
      [row] = await ctx.db.query<R>(text, [userId, sessionId, ctx.clock()]);
    } catch (error) {
      throw mapDriverError(error, operation);
    }
    if (!row?.live) return null;
    if (row.fresh) return row;
  }
  throw errors.unavailable(`${operation} lost the race for session ${JSON.stringify(sessionId)} ${MAX_ATTEMPTS} times; retry later`, undefined);
}

/** Removes and returns the newest message of a live session, or `null` (missing, expired or empty). */
export async function popNewest<M extends JsonObject>(ctx: StoreContext<M>, userId: string, sessionId: string): Promise<StoredMessage<M> | null> {
  const row = await runGuarded<M, PopRow>(ctx, 'popMessage', ctx.q.popMessage, userId, sessionId);
  return row?.seq != null && row.created_at !== null && row.message !== null ? toStoredMessage<M>(row.seq, row.created_at, row.message) : null;
}

/** Removes every message of a live session; a no-op for a missing or expired one. */
export async function clearMessages<M extends JsonObject>(ctx: StoreContext<M>, userId: string, sessionId: string): Promise<void> {
  await runGuarded(ctx, 'clearSession', ctx.q.clearSession, userId, sessionId);
}
