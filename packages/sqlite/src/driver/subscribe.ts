import type { SessionRef } from '@sessions/core';
import type { Database } from 'better-sqlite3';

/** How often a connection with watchers checks whether another connection committed, in ms. */
export const CHANGE_POLL_MS = 100;

const SQL = {
  // Changes when ANY other connection (another store, thread or process) commits to the file;
  // never for this connection's own commits, which the feed hears from its drivers directly.
  dataVersion: 'PRAGMA data_version',
};

const keyOf = (ref: SessionRef) => JSON.stringify([ref.userId, ref.sessionId]);

/**
 * Change notifications of one connection, for `watch()`: a hint that a session may have
 * changed, never the change itself (a watcher re-reads, and polls anyway, so a missed or extra
 * hint costs a read, never a message). Writes through this connection notify the watchers of
 * the written session at once; writes by other connections are seen by `PRAGMA data_version`,
 * checked every {@link CHANGE_POLL_MS} ms while anyone watches, and wake every watcher of the
 * connection (SQLite does not say which rows changed). Shared by every driver on the connection
 * (stores sharing one `:memory:` database), so a write through one wakes the others' watchers.
 */
export class ChangeFeed {
  private readonly listeners = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | undefined;
  private version = 0;
  private readonly dataVersion;

  constructor(private readonly db: Database) {
    this.dataVersion = db.prepare<[], number>(SQL.dataVersion).pluck();
  }

  /** Calls `listener` after writes that may have changed the session; resolves to a stop function. */
  subscribe(ref: SessionRef, listener: () => void): () => Promise<void> {
    const key = keyOf(ref);
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    // Each subscription its own entry, so one listener function subscribed twice stops twice.
    const entry = (): void => listener();
    set.add(entry);
    this.startPolling();
    return async () => {
      set.delete(entry);
      if (set.size === 0) this.listeners.delete(key);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  /** A write through this connection to `ref` (or, without `ref`, to sessions not named: a user's, the expired ones). */
  wrote(ref?: SessionRef): void {
    if (this.listeners.size === 0) return;
    if (ref === undefined) return this.notifyAll();
    for (const listener of [...(this.listeners.get(keyOf(ref)) ?? [])]) listener();
  }

  /** Stops polling (the connection is closing). */
  close(): void {
    this.stopPolling();
    this.listeners.clear();
  }

  private notifyAll(): void {
    for (const set of [...this.listeners.values()]) for (const listener of [...set]) listener();
  }

  private startPolling(): void {
    if (this.timer) return;
    this.version = this.dataVersion.get()!;
    this.timer = setInterval(() => this.poll(), CHANGE_POLL_MS);
    // Watching must not keep the process alive by itself.
    this.timer.unref();
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    if (!this.db.open) return this.stopPolling();
    let version: number;
    try {
      version = this.dataVersion.get()!;
    } catch {
      // A busy or closing connection: the next tick (or the watcher's own poll) catches up.
      return;
    }
    if (version === this.version) return;
    this.version = version;
    this.notifyAll();
  }
}

const feeds = new WeakMap<Database, ChangeFeed>();

/** The change feed of a connection, made on first use and shared by every driver on it. */
export function changeFeedOf(db: Database): ChangeFeed {
  let feed = feeds.get(db);
  if (!feed) {
    feed = new ChangeFeed(db);
    feeds.set(db, feed);
  }
  return feed;
}

/** Tells the watchers of a connection (if any) that a write went through it. */
export function notifyWrite(db: Database, ref?: SessionRef): void {
  feeds.get(db)?.wrote(ref);
}

/** Stops the change feed of a connection, if it has one (the connection is closing). */
export function closeChangeFeed(db: Database): void {
  feeds.get(db)?.close();
}
