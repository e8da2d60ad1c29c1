import { isLive, type SessionState } from './session-state.js';

/**
 * The data an {@link InMemorySessionStore} works on: users → sessions. Pass one backing to
 * several stores to share data between them, as several clients of one server would (the
 * conformance suite's concurrency tests do); closing a store never clears a backing passed in.
 */
export class MemoryBacking {
  private readonly users = new Map<string, Map<string, SessionState>>();

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
