import type { CreateRequest, Outcome, SessionInfo } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { toSessionInfo, type SessionRows } from './session-row.js';

/**
 * `create`: a new session, or `already_exists` when a live one has the id (an expired one is
 * dropped and replaced). One `BEGIN IMMEDIATE` transaction; the row statements are shared
 * ({@link SessionRows}: find, insert).
 */
export function prepareCreate(db: Database, rows: SessionRows): (request: CreateRequest) => Outcome<SessionInfo, 'already_exists'> {
  const run = db.transaction((request: CreateRequest): Outcome<SessionInfo, 'already_exists'> => {
    if (rows.liveForWrite(request, request.now)) return { failure: 'already_exists' };
    return toSessionInfo(rows.create(request, JSON.stringify(request.metadata), request.ttlMs, request.now));
  });
  return (request) => run.immediate(request);
}
