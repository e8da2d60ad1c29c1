import type { GetMessagesOptions, GetOrCreateSessionOptions, GetSessionOptions, JsonObject, Session, StoredMessage } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { newGeneration } from '../keys.js';
import { isLive, toSessionInfo } from '../marshal.js';
import { putNewRecord } from './create.js';
import { readMessages, readSessionAndMessages } from './read-messages.js';
import { freshRecord } from './session-writes.js';

/** `getSession`: the session item (strongly consistent) and its newest `limit` messages, one query. */
export async function getSession<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, sessionIdInput: string, options: GetSessionOptions = {}): Promise<Session<M> | null> {
  const userId = ctx.guard.userId(userIdInput);
  const sessionId = ctx.guard.sessionId(sessionIdInput);
  const limit = ctx.guard.limit(options.limit);
  const read = await readSessionAndMessages(ctx, userId, sessionId, { limit });
  return read && { ...toSessionInfo(read.record), messages: read.messages };
}

/**
 * `getOrCreateSession`: read; when there is no live session, a conditional put creates it.
 * Of two concurrent calls only one put succeeds; the other reads the winner's session.
 */
export async function getOrCreateSession<M extends JsonObject>(
  ctx: StoreContext<M>,
  userIdInput: string,
  sessionIdInput: string,
  options: GetOrCreateSessionOptions = {},
): Promise<Session<M> & { created: boolean }> {
  const { guard } = ctx;
  const userId = guard.userId(userIdInput);
  const sessionId = guard.sessionId(sessionIdInput);
  const limit = guard.limit(options.limit);
  const metadata = guard.metadata(options.metadata);
  const ttl = guard.ttlMs(options.ttlMs);
  for (let attempt = 0; ; attempt++) {
    const now = ctx.now();
    const record = await ctx.table.getRecord(userId, sessionId);
    if (record && isLive(record, now)) {
      ctx.cache.remember(record);
      return { ...toSessionInfo(record), messages: await readMessages(ctx, record, { limit }), created: false };
    }
    const fresh = freshRecord(userId, sessionId, newGeneration(), now, ttl === undefined ? ctx.defaultTtlMs : ttl, metadata);
    if (await putNewRecord(ctx.table, fresh, now)) {
      ctx.cache.remember(fresh);
      return { ...toSessionInfo(fresh), messages: [], created: true };
    }
    if (attempt >= ctx.maxRetries) throw ctx.errors.make('CONFLICT', `session ${JSON.stringify(sessionId)} kept changing while it was being read or created; retry`);
  }
}

/** `getMessages`: the session item (for its generation, range and expiry) and one query of the range. */
export async function getMessages<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, sessionIdInput: string, options: GetMessagesOptions = {}): Promise<StoredMessage<M>[]> {
  const { guard } = ctx;
  const userId = guard.userId(userIdInput);
  const sessionId = guard.sessionId(sessionIdInput);
  const limit = guard.limit(options.limit);
  const beforeSeq = guard.seq(options.beforeSeq, 'beforeSeq');
  const afterSeq = guard.seq(options.afterSeq, 'afterSeq');
  const from = guard.readFrom(options.from);
  const read = await readSessionAndMessages(ctx, userId, sessionId, { limit, beforeSeq, afterSeq, from });
  return read?.messages ?? [];
}
