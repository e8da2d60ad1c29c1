import type { JsonObject } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { userPk } from '../keys.js';
import { isLive, s, toSessionRecord } from '../marshal.js';
import { deleteSessionItems, keyOf } from './session-items.js';
import { recordKey } from './session-writes.js';

/**
 * `deleteSession`: deletes the session item first (one request, so the session disappears
 * atomically: every read starts from it), then its messages and idempotency items in batches.
 * `true` when a live session was there.
 */
export async function deleteSession<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, sessionIdInput: string): Promise<boolean> {
  const userId = ctx.guard.userId(userIdInput);
  const sessionId = ctx.guard.sessionId(sessionIdInput);
  const now = ctx.now();
  ctx.cache.forget(userId, sessionId);
  const out = await ctx.table.delete({ Key: recordKey({ userId, sessionId }), ReturnValues: 'ALL_OLD' });
  const existed = out.Attributes ? isLive(toSessionRecord(out.Attributes), now) : false;
  // A session created again under the same id meanwhile keeps its own items.
  const again = await ctx.table.getRecord(userId, sessionId);
  await deleteSessionItems(ctx.table, userId, sessionId, again?.gen ?? null);
  return existed;
}

/**
 * `deleteUser`: one pass over the user's partition. Every session item is deleted before any of
 * its messages (a session item sorts before its own items, and each page deletes its session
 * items first), so no reader ever sees a half-deleted session. Returns how many live sessions
 * were deleted.
 */
export async function deleteUser<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string): Promise<number> {
  const userId = ctx.guard.userId(userIdInput);
  const now = ctx.now();
  let count = 0;
  const pages = ctx.table.queryAll({
    KeyConditionExpression: '#PK = :pk',
    ExpressionAttributeNames: { '#PK': 'PK', '#SK': 'SK', '#type': 'type', '#expiresAt': 'expiresAt' },
    ExpressionAttributeValues: { ':pk': s(userPk(userId)) },
    ProjectionExpression: '#PK, #SK, #type, #expiresAt',
    ConsistentRead: true,
  });
  for await (const items of pages) {
    const sessions = items.filter((item) => item['type']?.S === 'session');
    const others = items.filter((item) => item['type']?.S !== 'session');
    count += sessions.filter((item) => {
      const expiresAt = item['expiresAt']?.N;
      return expiresAt === undefined || Number(expiresAt) > now;
    }).length;
    await ctx.table.deleteKeys(sessions.map(keyOf));
    await ctx.table.deleteKeys(others.map(keyOf));
  }
  return count;
}
