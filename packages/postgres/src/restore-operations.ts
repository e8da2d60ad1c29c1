import type { JsonObject, SessionSnapshot, StoredMessage } from '@sessions/core';
import { resetExpired } from './append-operation.js';
import { errors, mapDriverError } from './errors.js';
import type { StoreContext } from './store-context.js';

/** Creates a session exactly as `snapshot` describes it (import and copy between stores). */
export async function restoreSession<M extends JsonObject>(ctx: StoreContext<M>, userId: string, snapshot: SessionSnapshot): Promise<void> {
  const now = ctx.clock();
  const s = ctx.restore.snapshot(snapshot, now);
  // The TTL later writes slide by: every write sets expiresAt = updatedAt + ttl, so the
  // snapshot's own difference is the source's TTL.
  const ttl = s.expiresAt === null ? null : Math.max(1, s.expiresAt - s.updatedAt);
  const params = [userId, s.id, JSON.stringify(s.metadata), s.createdAt, s.updatedAt, s.expiresAt, ttl, s.lastSeq];
  try {
    let rows = await ctx.db.query(ctx.q.restoreSession, params);
    if (rows.length === 0 && (await resetExpired(ctx, userId, s.id, now, 'restoreSession'))) {
      rows = await ctx.db.query(ctx.q.restoreSession, params);
    }
    if (rows.length === 0) throw errors.alreadyExists(userId, s.id);
  } catch (error) {
    throw mapDriverError(error, 'restoreSession');
  }
}

/**
 * Writes messages with their own seqs and `createdAt` into a live session, atomically: one
 * transaction that locks the session, checks the seqs against what it holds, and inserts.
 */
export async function restoreMessages<M extends JsonObject>(
  ctx: StoreContext<M>,
  userId: string,
  sessionId: string,
  messages: StoredMessage<M>[],
): Promise<void> {
  const batch = await ctx.restore.batch(messages);
  const now = ctx.clock();
  try {
    await ctx.db.transaction(async (tx) => {
      const [session] = await tx.query<{ last_seq: number }>(ctx.q.lockRestoreTarget, [userId, sessionId, now]);
      if (!session) throw errors.notFound(userId, sessionId);
      if (batch.seqs.length === 0) return;
      const [held] = await tx.query<{ highest: number | null }>(ctx.q.highestSeq, [userId, sessionId]);
      ctx.restore.bounds(batch, held?.highest ?? 0, session.last_seq);
      await tx.query(ctx.q.restoreMessages, [userId, sessionId, batch.seqs, batch.createdAt, batch.encoded]);
    });
  } catch (error) {
    throw mapDriverError(error, 'restoreMessages');
  }
}
