import type { GetOrCreateRequest, SessionWithEntries } from '@sessions/core';
import { newGeneration } from '../keys.js';
import { isLive, toSessionInfo } from '../marshal.js';
import { maxAttempts, type DriverContext } from './context.js';
import { putNewRecord } from './create.js';
import { RaceLostError } from './errors.js';
import { readEntries } from './read-range.js';
import { freshRecord } from './session-writes.js';

/**
 * `getOrCreate`: read the session item; when there is no live session, a conditional `PutItem`
 * creates it. Of two concurrent calls only one put succeeds; the other reads the winner's session.
 */
export async function getOrCreate(ctx: DriverContext, request: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }> {
  const { userId, sessionId, now } = request;
  for (let attempt = 0; ; attempt++) {
    const record = await ctx.table.getRecord(userId, sessionId);
    if (record && isLive(record, now)) {
      ctx.cache.remember(record);
      return { session: toSessionInfo(record), entries: await readEntries(ctx, record, { limit: request.limit, from: 'end' }), created: false };
    }
    const fresh = freshRecord(userId, sessionId, newGeneration(), now, request.ttlMs, request.metadata);
    if (await putNewRecord(ctx.table, fresh, now)) {
      ctx.cache.remember(fresh);
      return { session: toSessionInfo(fresh), entries: [], created: true };
    }
    if (attempt >= maxAttempts(ctx)) throw new RaceLostError(`session ${JSON.stringify(sessionId)} kept changing while it was being read or created; retry`);
  }
}
