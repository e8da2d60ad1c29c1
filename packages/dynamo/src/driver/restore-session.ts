import type { Outcome, RestoreSessionRequest } from '@sessions/core';
import { newGeneration } from '../keys.js';
import type { SessionRecord } from '../marshal.js';
import type { DriverContext } from './context.js';
import { putNewRecord } from './create.js';

/**
 * `restoreSession`: the session item exactly as the snapshot describes it, with no messages, in
 * one conditional `PutItem`. The session keeps sliding by its own TTL afterwards: the snapshot's
 * distance from `updatedAt` to `expiresAt` (every write sets `expiresAt = updatedAt + ttlMs`).
 */
export async function restoreSession(ctx: DriverContext, request: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>> {
  const { snapshot } = request;
  const record: SessionRecord = {
    userId: request.userId,
    sessionId: snapshot.id,
    gen: newGeneration(),
    metadata: snapshot.metadata,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
    expiresAt: snapshot.expiresAt,
    ttlMs: snapshot.expiresAt === null ? null : Math.max(1, snapshot.expiresAt - snapshot.updatedAt),
    lastSeq: snapshot.lastSeq,
    messageCount: 0,
    clearedUpTo: 0,
  };
  if (!(await putNewRecord(ctx.table, record, request.now))) return { failure: 'already_exists' };
  ctx.cache.remember(record);
  return undefined;
}
