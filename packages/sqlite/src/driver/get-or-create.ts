import type { GetOrCreateRequest, SessionWithEntries } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { prepareTail } from './get.js';
import type { SessionRows } from './session-row.js';

/**
 * `getOrCreate`: the live session with its newest entries, or a new one, in one `BEGIN
 * IMMEDIATE` transaction, so of two concurrent calls (any processes) exactly one creates.
 */
export function prepareGetOrCreate(db: Database, rows: SessionRows): (request: GetOrCreateRequest) => SessionWithEntries & { created: boolean } {
  const tail = prepareTail(db);
  const run = db.transaction((request: GetOrCreateRequest): SessionWithEntries & { created: boolean } => {
    const existing = rows.liveForWrite(request, request.now);
    if (existing) return { ...tail(existing, request.limit), created: false };
    const row = rows.create(request, JSON.stringify(request.metadata), request.ttlMs, request.now);
    return { ...tail(row, 0), created: true };
  });
  return (request) => run.immediate(request);
}
