import { mergeMetadata, utf8Length, type JsonObject, type Outcome, type SessionInfo, type UpdateRequest } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { toSessionInfo, type SessionRows } from './session-row.js';

/** Parameters of the statement writing a session's metadata and TTL. */
export interface UpdateParams {
  sid: number;
  metadata: string;
  ttlMs: number | null;
}

const SQL = {
  update: 'UPDATE sessions SET metadata = @metadata, ttl_ms = @ttlMs WHERE sid = @sid',
};

/**
 * `update`: merges the metadata patch (shallow, `null` removes), sets the TTL when given, and
 * touches the session (the expiry slides by the new TTL). `not_found`, `metadata_too_large`.
 * One `BEGIN IMMEDIATE` transaction.
 */
export function prepareUpdate(db: Database, rows: SessionRows): (request: UpdateRequest) => Outcome<SessionInfo, 'not_found' | 'metadata_too_large'> {
  const update = db.prepare<UpdateParams>(SQL.update);
  const run = db.transaction((request: UpdateRequest): Outcome<SessionInfo, 'not_found' | 'metadata_too_large'> => {
    const row = rows.liveForWrite(request, request.now);
    if (!row) return { failure: 'not_found' };
    let metadata = row.metadata;
    if (request.patch) {
      metadata = JSON.stringify(mergeMetadata(JSON.parse(row.metadata) as JsonObject, request.patch));
      const bytes = utf8Length(metadata);
      if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    }
    update.run({ sid: row.sid, metadata, ttlMs: request.ttlMs === undefined ? row.ttl_ms : request.ttlMs });
    return toSessionInfo(rows.touch(row.sid, request.now));
  });
  return (request) => run.immediate(request);
}
