import type { Outcome, RestoreSessionRequest } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import type { SessionRows } from './session-row.js';

/**
 * `restoreSession`: a session row exactly as the snapshot describes it, with no entries
 * (`already_exists` when a live one has the id). Its TTL for later writes is
 * `expiresAt - updatedAt`, since every write sets `expiresAt = updatedAt + ttlMs`. One `BEGIN
 * IMMEDIATE` transaction; the insert is the shared one of {@link SessionRows}.
 */
export function prepareRestoreSession(db: Database, rows: SessionRows): (request: RestoreSessionRequest) => Outcome<void, 'already_exists'> {
  const run = db.transaction((request: RestoreSessionRequest): Outcome<void, 'already_exists'> => {
    const { snapshot } = request;
    const ref = { userId: request.userId, sessionId: snapshot.id };
    if (rows.liveForWrite(ref, request.now)) return { failure: 'already_exists' };
    rows.insert({
      ...ref,
      metadata: JSON.stringify(snapshot.metadata),
      createdAt: snapshot.createdAt,
      updatedAt: snapshot.updatedAt,
      expiresAt: snapshot.expiresAt,
      ttlMs: snapshot.expiresAt === null ? null : Math.max(1, snapshot.expiresAt - snapshot.updatedAt),
      lastSeq: snapshot.lastSeq,
      messageCount: 0,
    });
    return undefined;
  });
  return (request) => run.immediate(request);
}
