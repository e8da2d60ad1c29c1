import { forkMetadata, mergeMetadata, type JsonObject, type SessionInfo } from '@sessions/core';
import { resetExpired } from './append-operation.js';
import { errors, mapDriverError } from './errors.js';
import type { SessionRow } from './queries/fragments.js';
import { toSessionInfo } from './rows.js';
import type { StoreContext } from './store-context.js';

/** A checked `updateSession` request; `ttlMs` `undefined` keeps the session's TTL. */
export interface UpdateRequest {
  userId: string;
  sessionId: string;
  patch: JsonObject | undefined;
  ttlMs: number | null | undefined;
}

/**
 * Merges metadata and/or resets the TTL of a live session, in a transaction holding the row
 * lock: the merge happens here (its result's size is checked before anything is written).
 */
export async function updateSession<M extends JsonObject>(ctx: StoreContext<M>, request: UpdateRequest): Promise<SessionInfo> {
  const { userId, sessionId, patch, ttlMs } = request;
  const now = ctx.clock();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [current] = await tx.query<{ metadata: string; ttl_ms: number | null }>(ctx.q.lockSession, [userId, sessionId, now]);
      if (!current) throw errors.notFound(userId, sessionId);
      const metadata = patch ? ctx.guard.metadataSize(mergeMetadata(JSON.parse(current.metadata) as JsonObject, patch)) : current.metadata;
      const ttl = ttlMs === undefined ? current.ttl_ms : ttlMs;
      const [row] = await tx.query<SessionRow>(ctx.q.updateSession, [userId, sessionId, metadata, now, ttl]);
      if (!row) throw errors.notFound(userId, sessionId); // unreachable: the row is locked
      return toSessionInfo(row);
    });
  } catch (error) {
    throw mapDriverError(error, 'updateSession');
  }
}

/** A checked `forkSession` request. */
export interface ForkRequest {
  userId: string;
  sessionId: string;
  newSessionId: string;
  uptoSeq: number | undefined;
  patch: JsonObject | undefined;
}

/**
 * Forks a live session in one transaction: a share lock on the source (no append can slip in
 * while its messages are copied), then one statement creates the target and copies messages.
 */
export async function forkSession<M extends JsonObject>(ctx: StoreContext<M>, request: ForkRequest): Promise<SessionInfo> {
  const { userId, sessionId, newSessionId, uptoSeq, patch } = request;
  const now = ctx.clock();
  await resetExpired(ctx, userId, newSessionId, now, 'forkSession');
  try {
    return await ctx.db.transaction(async (tx) => {
      const [source] = await tx.query<{ metadata: string; ttl_ms: number | null; last_seq: number }>(ctx.q.lockForkSource, [
        userId,
        sessionId,
        now,
      ]);
      if (!source) throw errors.notFound(userId, sessionId);
      const upto = Math.min(uptoSeq ?? source.last_seq, source.last_seq);
      const metadata = ctx.guard.metadataSize(forkMetadata(JSON.parse(source.metadata) as JsonObject, sessionId, upto, patch));
      const [row] = await tx.query<SessionRow>(ctx.q.forkSession, [userId, sessionId, newSessionId, upto, metadata, now, source.ttl_ms]);
      if (!row) throw errors.alreadyExists(userId, newSessionId);
      return toSessionInfo(row);
    });
  } catch (error) {
    throw mapDriverError(error, 'forkSession');
  }
}
