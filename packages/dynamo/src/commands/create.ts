import type { CreateSessionOptions, JsonObject, SessionInfo, SessionSnapshot } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { conditionFailed } from '../errors.js';
import { ABSENT_OR_EXPIRED, names } from '../expressions.js';
import { newGeneration } from '../keys.js';
import { n, sessionItem, toSessionInfo, type SessionRecord } from '../marshal.js';
import type { TableClient } from '../table-client.js';
import { freshRecord } from './session-writes.js';

/**
 * Writes a new session item if there is none or the one there has expired. Returns `false`
 * when a live session already holds the key.
 */
export async function putNewRecord(table: TableClient, record: SessionRecord, now: number): Promise<boolean> {
  try {
    await table.put({
      Item: sessionItem(record),
      ConditionExpression: ABSENT_OR_EXPIRED,
      ExpressionAttributeNames: names('PK', 'expiresAt'),
      ExpressionAttributeValues: { ':now': n(now) },
    });
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/** `createSession`: one conditional `PutItem`. */
export async function createSession<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, options: CreateSessionOptions = {}): Promise<SessionInfo> {
  const { guard } = ctx;
  const userId = guard.userId(userIdInput);
  const sessionId = guard.newSessionId(options.sessionId);
  const metadata = guard.metadata(options.metadata);
  const ttl = guard.ttlMs(options.ttlMs);
  const now = ctx.now();
  const record = freshRecord(userId, sessionId, newGeneration(), now, ttl === undefined ? ctx.defaultTtlMs : ttl, metadata);
  if (!(await putNewRecord(ctx.table, record, now))) throw ctx.errors.alreadyExists(userId, sessionId);
  ctx.cache.remember(record);
  return toSessionInfo(record);
}

/**
 * `restoreSession`: the session item exactly as the snapshot describes it, with no messages.
 * The session keeps sliding by its own TTL afterwards: the snapshot's distance from
 * `updatedAt` to `expiresAt`.
 */
export async function restoreSession<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, snapshot: SessionSnapshot): Promise<void> {
  const userId = ctx.guard.userId(userIdInput);
  const now = ctx.now();
  const checked = ctx.restore.snapshot(snapshot, now);
  // Every write sets expiresAt = updatedAt + ttlMs, so the snapshot's difference is its TTL.
  const ttlMs = checked.expiresAt === null ? null : Math.max(1, checked.expiresAt - checked.updatedAt);
  const record: SessionRecord = {
    userId,
    sessionId: checked.id,
    gen: newGeneration(),
    metadata: checked.metadata,
    createdAt: checked.createdAt,
    updatedAt: checked.updatedAt,
    expiresAt: checked.expiresAt,
    ttlMs,
    lastSeq: checked.lastSeq,
    messageCount: 0,
    clearedUpTo: 0,
  };
  if (!(await putNewRecord(ctx.table, record, now))) throw ctx.errors.alreadyExists(userId, checked.id);
  ctx.cache.remember(record);
}
