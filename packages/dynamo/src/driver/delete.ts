import type { At, SessionRef } from '@sessions/core';
import { isLive, toSessionRecord } from '../marshal.js';
import type { DriverContext } from './context.js';
import { deleteSessionItems } from './session-items.js';
import { recordKey } from './session-writes.js';

/**
 * `delete`: deletes the session item first (one `DeleteItem`, so the session disappears
 * atomically: every read starts from it), then its messages and idempotency items in batches.
 * `true` when a live session was there.
 */
export async function deleteSession(ctx: DriverContext, request: SessionRef & At): Promise<boolean> {
  const { userId, sessionId } = request;
  ctx.cache.forget(userId, sessionId);
  const out = await ctx.table.delete({ Key: recordKey({ userId, sessionId }), ReturnValues: 'ALL_OLD' });
  const existed = out.Attributes ? isLive(toSessionRecord(out.Attributes), request.now) : false;
  // A session created again under the same id meanwhile keeps its own items.
  const again = await ctx.table.getRecord(userId, sessionId);
  await deleteSessionItems(ctx.table, userId, sessionId, again?.gen ?? null);
  return existed;
}
