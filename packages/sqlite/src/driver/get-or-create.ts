import type { GetOrCreateRequest, SessionWithEntries } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { prepareTail } from './get.js';
import { isLive, type SessionRows } from './session-row.js';

/**
 * `getOrCreate`: the live session with its newest entries, or a new one. A session that exists
 * is read in a read transaction, without the write lock (no waiting behind other processes'
 * writes); only when it is missing does a `BEGIN IMMEDIATE` transaction look again and create
 * it, so of two concurrent calls (any processes) exactly one creates.
 */
export function prepareGetOrCreate(db: Database, rows: SessionRows): (request: GetOrCreateRequest) => SessionWithEntries & { created: boolean } {
  const tail = prepareTail(db);
  const read = db.transaction((request: GetOrCreateRequest): (SessionWithEntries & { created: boolean }) | undefined => {
    const row = rows.find(request);
    return row && isLive(row, request.now) ? { ...tail(row, request.limit), created: false } : undefined;
  });
  const create = db.transaction((request: GetOrCreateRequest): SessionWithEntries & { created: boolean } => {
    const existing = rows.liveForWrite(request, request.now);
    if (existing) return { ...tail(existing, request.limit), created: false };
    const row = rows.create(request, JSON.stringify(request.metadata), request.ttlMs, request.now);
    return { ...tail(row, 0), created: true };
  });
  return (request) => read.deferred(request) ?? create.immediate(request);
}
