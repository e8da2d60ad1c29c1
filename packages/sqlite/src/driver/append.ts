import type { AppendOutcome, AppendRequest, Outcome, ReplaceTailOutcome, ReplaceTailRequest } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import type { SessionRows } from './session-row.js';

/** Parameters of the idempotency key lookup. */
export interface FindKeyParams {
  sid: number;
  key: string;
}

/** Parameters of one message row. */
export interface InsertMessageParams {
  sid: number;
  seq: number;
  createdAt: number;
  body: string;
}

/** Parameters of the statement that records an append on the session row. */
export interface AdvanceParams {
  sid: number;
  now: number;
  lastSeq: number;
  /** Messages added minus messages removed. */
  countDelta: number;
}

/**
 * Parameters of the one-statement append to a live session: bumps `last_seq` by `count` when
 * the session is live and `last_seq` equals `expectedLastSeq` (when given).
 */
export interface AdvanceLiveParams {
  userId: string;
  sessionId: string;
  now: number;
  count: number;
  expectedLastSeq: number | null;
}

/** Parameters of the statement saving an applied idempotency key with its result. */
export interface SaveKeyParams {
  sid: number;
  key: string;
  firstSeq: number;
  lastSeq: number;
  removed: number;
}

interface KeyRow {
  first_seq: number;
  last_seq: number;
  removed: number;
}

const SQL = {
  findKey: 'SELECT first_seq, last_seq, removed FROM session_idempotency_keys WHERE sid = @sid AND key = @key',
  insertMessage: 'INSERT INTO session_messages (sid, seq, created_at, body) VALUES (@sid, @seq, @createdAt, @body)',
  advance: `UPDATE sessions SET last_seq = @lastSeq, message_count = message_count + @countDelta, updated_at = @now,
              expires_at = CASE WHEN ttl_ms IS NULL THEN NULL ELSE @now + ttl_ms END
            WHERE sid = @sid`,
  advanceLive: `UPDATE sessions SET last_seq = last_seq + @count, message_count = message_count + @count, updated_at = @now,
                  expires_at = CASE WHEN ttl_ms IS NULL THEN NULL ELSE @now + ttl_ms END
                WHERE user_id = @userId AND id = @sessionId AND (expires_at IS NULL OR expires_at > @now)
                  AND (@expectedLastSeq IS NULL OR last_seq = @expectedLastSeq)
                RETURNING sid, last_seq`,
  saveKey: `INSERT INTO session_idempotency_keys (sid, key, first_seq, last_seq, removed)
            VALUES (@sid, @key, @firstSeq, @lastSeq, @removed)`,
};

/** A tail write: an append (`afterSeq` undefined, removes nothing) or a tail replacement. */
export type TailWrite = Omit<ReplaceTailRequest, 'afterSeq'> & { afterSeq: number | undefined };

/** Removes the entries of session `sid` with seq > `afterSeq`; returns how many. */
export type RemoveAfter = (sid: number, afterSeq: number) => number;

/**
 * The one write behind `append` and `replaceTail`, in the contract's order: an applied
 * idempotency key returns its first result (before the `expectedLastSeq` check, so a retry of
 * a successful compare-and-append is a duplicate), then the check (a missing session has
 * lastSeq 0), then create, remove the tail, insert with new seqs (lastSeq + 1...), slide the
 * TTL and save the key. One `BEGIN IMMEDIATE` transaction: the write lock is taken before the
 * first read, so no other connection (of any process) can write in between.
 *
 * The common append (no key, a live session, `expectedLastSeq` matching or absent) takes a
 * shorter road in the same transaction: one UPDATE ... RETURNING bumps the session row, then
 * the inserts. When that UPDATE matches nothing, the full sequence above says why.
 */
export function prepareTailWrite(db: Database, rows: SessionRows, removeAfter: RemoveAfter): (request: TailWrite) => Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'> {
  const findKey = db.prepare<FindKeyParams, KeyRow>(SQL.findKey);
  const insertMessage = db.prepare<InsertMessageParams>(SQL.insertMessage);
  const advance = db.prepare<AdvanceParams>(SQL.advance);
  const saveKey = db.prepare<SaveKeyParams>(SQL.saveKey);
  const advanceLive = db.prepare<AdvanceLiveParams, { sid: number; last_seq: number }>(SQL.advanceLive);
  const run = db.transaction((request: TailWrite): Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'> => {
    const { now, idempotencyKey: key, texts } = request;
    if (key === undefined && request.afterSeq === undefined && texts.length > 0) {
      const bumped = advanceLive.get({
        userId: request.userId,
        sessionId: request.sessionId,
        now,
        count: texts.length,
        expectedLastSeq: request.expectedLastSeq ?? null,
      });
      if (bumped) {
        const firstSeq = bumped.last_seq - texts.length + 1;
        for (let i = 0; i < texts.length; i++) insertMessage.run({ sid: bumped.sid, seq: firstSeq + i, createdAt: now, body: texts[i]! });
        return { removed: 0, firstSeq, lastSeq: bumped.last_seq, duplicate: false };
      }
    }
    let row = rows.liveForWrite(request, now);
    const applied = key === undefined || !row ? undefined : findKey.get({ sid: row.sid, key });
    if (applied) return { removed: applied.removed, firstSeq: applied.first_seq, lastSeq: applied.last_seq, duplicate: true };
    const lastSeq = row?.last_seq ?? 0;
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== lastSeq) return { failure: 'conflict', lastSeq };
    if (!row) {
      if (texts.length === 0) return { removed: 0, firstSeq: 1, lastSeq: 0, duplicate: false };
      if (!request.create) return { failure: 'not_found' };
      row = rows.create(request, '{}', request.ttlMs, now);
    }
    const sid = row.sid;
    const removed = request.afterSeq === undefined ? 0 : removeAfter(sid, request.afterSeq);
    for (let i = 0; i < texts.length; i++) insertMessage.run({ sid, seq: lastSeq + 1 + i, createdAt: now, body: texts[i]! });
    const result = { removed, firstSeq: lastSeq + 1, lastSeq: lastSeq + texts.length, duplicate: false };
    advance.run({ sid, now, lastSeq: result.lastSeq, countDelta: texts.length - removed });
    if (key !== undefined) saveKey.run({ sid, key, firstSeq: result.firstSeq, lastSeq: result.lastSeq, removed });
    return result;
  });
  return (request) => run.immediate(request);
}

/** `append`: a batch with contiguous seqs, atomically (see {@link prepareTailWrite}). */
export function prepareAppend(db: Database, rows: SessionRows): (request: AppendRequest) => Outcome<AppendOutcome, 'not_found' | 'conflict'> {
  const write = prepareTailWrite(db, rows, () => 0);
  return (request) => {
    const result = write({ ...request, afterSeq: undefined });
    if ('failure' in result) return result;
    return { firstSeq: result.firstSeq, lastSeq: result.lastSeq, duplicate: result.duplicate };
  };
}
