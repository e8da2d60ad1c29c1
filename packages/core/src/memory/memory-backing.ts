import { isLive, type SessionState } from './session-state.js';

/**
 * The data an {@link InMemorySessionStore} works on: users → sessions. Pass one backing to
 * several stores to share data between them, as several clients of one server would (the
 * conformance suite's concurrency tests do); closing a store never clears a backing passed in.
 */
export class MemoryBacking {
  private readonly users = new Map<string, Map<string, SessionState>>();
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Calls `listener` after each write to the session; returns a function that stops. */
  listen(userId: string, sessionId: string, listener: () => void): () => void {
    const key = listenerKey(userId, sessionId);
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Tells the session's listeners that it was written; `sessionId` undefined: every session of the user. */
  notify(userId: string, sessionId?: string): void {
    if (this.listeners.size === 0) return;
    if (sessionId !== undefined) {
      for (const listener of this.listeners.get(listenerKey(userId, sessionId)) ?? []) listener();
      return;
    }
    const prefix = listenerKey(userId, '');
    for (const [key, set] of this.listeners) if (key.startsWith(prefix)) for (const listener of set) listener();
  }

  /** Tells every listener (a purge may have removed any session). */
  notifyAll(): void {
    for (const set of this.listeners.values()) for (const listener of set) listener();
  }

  /**
   * The session when it exists and is live at `now`. An expired session is removed on the
   * way, so it behaves exactly as a deleted one.
   */
  live(userId: string, sessionId: string, now: number): SessionState | undefined {
    const sessions = this.users.get(userId);
    const state = sessions?.get(sessionId);
    if (!state) return undefined;
    if (isLive(state, now)) return state;
    this.remove(userId, sessionId);
    return undefined;
  }

  /** Stores a session, replacing any session of that user with the same id. */
  put(state: SessionState): void {
    let sessions = this.users.get(state.userId);
    if (!sessions) {
      sessions = new Map();
      this.users.set(state.userId, sessions);
    }
    sessions.set(state.id, state);
  }

  /** Removes a session (live or not); `true` if a record was there. */
  remove(userId: string, sessionId: string): boolean {
    const sessions = this.users.get(userId);
    if (!sessions?.delete(sessionId)) return false;
    if (sessions.size === 0) this.users.delete(userId);
    return true;
  }

  /** Every session record of the user, live or not (a copy of the list). */
  sessionsOf(userId: string): SessionState[] {
    return [...(this.users.get(userId)?.values() ?? [])];
  }

  /** Removes every session of the user; returns how many of them were live at `now`. */
  removeUser(userId: string, now: number): number {
    const count = this.sessionsOf(userId).filter((state) => isLive(state, now)).length;
    this.users.delete(userId);
    return count;
  }

  /** Every user id with at least one session record (a copy of the list). */
  userIds(): string[] {
    return [...this.users.keys()];
  }

  /** Removes every session expired at `now`; returns how many. */
  removeExpired(now: number): number {
    let removed = 0;
    for (const [userId, sessions] of [...this.users]) {
      for (const state of [...sessions.values()]) {
        if (!isLive(state, now) && this.remove(userId, state.id)) removed++;
      }
    }
    return removed;
  }

  /** Drops everything. */
  clear(): void {
    this.users.clear();
  }
}

/** Ids cannot hold control characters, so a NUL separator cannot be forged by an id. */
function listenerKey(userId: string, sessionId: string): string {
  return `${userId}\u0000${sessionId}`;
}
