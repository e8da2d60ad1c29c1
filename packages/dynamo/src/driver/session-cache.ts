import { sessionSk, userPk } from '../keys.js';
import type { SessionRecord } from '../marshal.js';

/** What the driver remembers about a session it wrote or read last. */
export interface CachedSession {
  gen: string;
  lastSeq: number;
  ttlMs: number | null;
}

/**
 * A small LRU map of the sessions this driver touched last, so that an append can skip the read
 * of the session item and a read can query messages while it reads the session item. Never a
 * source of truth: every write that relies on it is conditioned on what it remembers (a stale
 * entry makes the write fail its condition and take the read path), and every read checks the
 * cached generation against the session item it reads at the same time.
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();

  constructor(private readonly capacity: number) {}

  private static key(userId: string, sessionId: string): string {
    return `${userPk(userId)}\u0000${sessionSk(sessionId)}`;
  }

  /** What is remembered of the session, if anything. */
  get(userId: string, sessionId: string): CachedSession | undefined {
    return this.capacity > 0 ? this.entries.get(SessionCache.key(userId, sessionId)) : undefined;
  }

  /** Remembers the session's state after a write; the least recently used entry goes when full. */
  set(userId: string, sessionId: string, value: CachedSession): void {
    if (this.capacity <= 0) return;
    const key = SessionCache.key(userId, sessionId);
    this.entries.delete(key); // re-inserted last: most recently used
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Remembers a session item just read. */
  remember(record: SessionRecord): void {
    this.set(record.userId, record.sessionId, { gen: record.gen, lastSeq: record.lastSeq, ttlMs: record.ttlMs });
  }

  /** Drops what is remembered of the session (after a failed condition or a delete). */
  forget(userId: string, sessionId: string): void {
    this.entries.delete(SessionCache.key(userId, sessionId));
  }
}
