import { expiryFrom, type JsonObject, type SessionInfo, type SessionRef, type StoredEntry } from '@sessions/core';
import type { Database } from 'better-sqlite3';

/** A row of `sessions`, as SQLite returns it (times in ms since the epoch). */
export interface SessionRow {
  sid: number;
  user_id: string;
  id: string;
  metadata: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  ttl_ms: number | null;
  last_seq: number;
  message_count: number;
}

/** A row of `session_messages` as the reads select it. */
export interface EntryRow {
  seq: number;
  created_at: number;
  body: string;
}

/** The columns of {@link SessionRow}, for `SELECT` and `RETURNING` lists. */
export const SESSION_COLUMNS = 'sid, user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count';

/** The SQL condition "the session row `s` has not expired at `@now`". */
export const LIVE = '(s.expires_at IS NULL OR s.expires_at > @now)';

/** Parameters of the statements that find a session by its ids. */
export interface FindParams {
  userId: string;
  sessionId: string;
}

/** Parameters of a new session row. */
export interface InsertParams {
  userId: string;
  sessionId: string;
  metadata: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  ttlMs: number | null;
  lastSeq: number;
  messageCount: number;
}

/** Parameters of the statement that records a write on a session. */
export interface TouchParams {
  sid: number;
  now: number;
  /** Added to `message_count` (negative when messages were removed). */
  countDelta: number;
}

/** Parameters of the statements that act on one session by its row number. */
export interface SidParams {
  sid: number;
}

const SQL = {
  find: `SELECT ${SESSION_COLUMNS} FROM sessions WHERE user_id = @userId AND id = @sessionId`,
  insert: `INSERT INTO sessions (user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
           VALUES (@userId, @sessionId, @metadata, @createdAt, @updatedAt, @expiresAt, @ttlMs, @lastSeq, @messageCount)
           RETURNING ${SESSION_COLUMNS}`,
  // Every write slides the expiry by the session's own TTL.
  touch: `UPDATE sessions SET updated_at = @now, expires_at = CASE WHEN ttl_ms IS NULL THEN NULL ELSE @now + ttl_ms END,
            message_count = message_count + @countDelta
          WHERE sid = @sid RETURNING ${SESSION_COLUMNS}`,
  dropMessages: 'DELETE FROM session_messages WHERE sid = @sid',
  dropKeys: 'DELETE FROM session_idempotency_keys WHERE sid = @sid',
  dropSession: 'DELETE FROM sessions WHERE sid = @sid',
};

/**
 * The statements on session rows that every write shares: find, insert, touch and drop. Made
 * once per connection (after `setup()`), used inside the callers' transactions.
 */
export class SessionRows {
  private readonly findStmt;
  private readonly insertStmt;
  private readonly touchStmt;
  private readonly dropStmts;

  constructor(db: Database) {
    this.findStmt = db.prepare<FindParams, SessionRow>(SQL.find);
    this.insertStmt = db.prepare<InsertParams, SessionRow>(SQL.insert);
    this.touchStmt = db.prepare<TouchParams, SessionRow>(SQL.touch);
    this.dropStmts = [SQL.dropMessages, SQL.dropKeys, SQL.dropSession].map((sql) => db.prepare<SidParams>(sql));
  }

  /** The session's row, live or expired. */
  find(ref: SessionRef): SessionRow | undefined {
    return this.findStmt.get({ userId: ref.userId, sessionId: ref.sessionId });
  }

  /**
   * The session's row when it is live at `now`. An expired row is dropped on the way (with
   * its messages and keys), so a write treats it exactly as a deleted session. Call inside a
   * write transaction.
   */
  liveForWrite(ref: SessionRef, now: number): SessionRow | undefined {
    const row = this.find(ref);
    if (!row) return undefined;
    if (isLive(row, now)) return row;
    this.drop(row.sid);
    return undefined;
  }

  /** Inserts a session row and returns it. */
  insert(params: InsertParams): SessionRow {
    return this.insertStmt.get(params)!;
  }

  /** A new, empty session written at `now`. */
  create(ref: SessionRef, metadata: string, ttlMs: number | null, now: number): SessionRow {
    return this.insert({ ...ref, metadata, createdAt: now, updatedAt: now, expiresAt: expiryFrom(now, ttlMs), ttlMs, lastSeq: 0, messageCount: 0 });
  }

  /** Records a write: bumps `updated_at`, slides the expiry, adjusts the message count. */
  touch(sid: number, now: number, countDelta = 0): SessionRow {
    return this.touchStmt.get({ sid, now, countDelta })!;
  }

  /** Deletes a session with its messages and idempotency keys. */
  drop(sid: number): void {
    for (const statement of this.dropStmts) statement.run({ sid });
  }
}

/** `true` while the session has not expired at `now`. */
export function isLive(row: SessionRow, now: number): boolean {
  return row.expires_at === null || row.expires_at > now;
}

/** The contract's view of a session row. */
export function toSessionInfo(row: SessionRow): SessionInfo {
  return {
    userId: row.user_id,
    id: row.id,
    metadata: JSON.parse(row.metadata) as JsonObject,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    messageCount: row.message_count,
    lastSeq: row.last_seq,
  };
}

/** The driver's view of a message row. */
export function toEntry(row: EntryRow): StoredEntry {
  return { seq: row.seq, createdAt: row.created_at, text: row.body };
}
