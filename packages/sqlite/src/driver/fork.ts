import { expiryFrom, forkMetadata, utf8Length, type ForkRequest, type JsonObject, type Outcome, type SessionInfo } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { toSessionInfo, type SessionRows } from './session-row.js';

/** Parameters of the statement copying a source's entries up to a seq into a fork. */
export interface CopyParams {
  sourceSid: number;
  forkSid: number;
  uptoSeq: number;
}

/** Parameters of the statement setting the fork's message count once its entries are copied. */
export interface CountParams {
  sid: number;
  count: number;
}

const SQL = {
  setCount: 'UPDATE sessions SET message_count = @count WHERE sid = @sid',
  copyEntries: `INSERT INTO session_messages (sid, seq, created_at, body)
                SELECT @forkSid, seq, created_at, body FROM session_messages WHERE sid = @sourceSid AND seq <= @uptoSeq`,
};

/**
 * `fork`: a new session of the same user holding the source's entries with seq <= `uptoSeq`
 * (clamped to the source's lastSeq; same seqs, `createdAt` and texts), the source's TTL, and
 * the fork metadata. `not_found` (source), `already_exists` (target), `metadata_too_large`.
 * One `BEGIN IMMEDIATE` transaction.
 */
export function prepareFork(db: Database, rows: SessionRows): (request: ForkRequest) => Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'> {
  const copyEntries = db.prepare<CopyParams>(SQL.copyEntries);
  const setCount = db.prepare<CountParams>(SQL.setCount);
  const run = db.transaction((request: ForkRequest): Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'> => {
    const { now } = request;
    const source = rows.liveForWrite(request, now);
    if (!source) return { failure: 'not_found' };
    const target = { userId: request.userId, sessionId: request.newSessionId };
    if (rows.liveForWrite(target, now)) return { failure: 'already_exists' };
    const upto = Math.min(request.uptoSeq ?? source.last_seq, source.last_seq);
    const metadata = JSON.stringify(forkMetadata(JSON.parse(source.metadata) as JsonObject, request.sessionId, upto, request.patch));
    const bytes = utf8Length(metadata);
    if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    const fork = rows.insert({
      ...target,
      metadata,
      createdAt: now,
      updatedAt: now,
      expiresAt: expiryFrom(now, source.ttl_ms),
      ttlMs: source.ttl_ms,
      lastSeq: upto,
      messageCount: 0,
    });
    const copied = copyEntries.run({ sourceSid: source.sid, forkSid: fork.sid, uptoSeq: upto }).changes;
    setCount.run({ sid: fork.sid, count: copied });
    return toSessionInfo({ ...fork, message_count: copied });
  });
  return (request) => run.immediate(request);
}
