import type { StoreErrors } from '../errors.js';
import type { SessionStore } from '../store.js';
import type { JsonObject, SessionInfo, SessionSnapshot } from '../types.js';

/** What the target holds of a session a transfer resumes. */
export interface HeldSession {
  /** The highest seq it holds (0 when it holds none). */
  highestSeq: number;
  /** How many messages it holds. */
  messageCount: number;
}

/**
 * Why the target's session may not be resumed with `snapshot`, or `null` when it may. A session
 * can be resumed only if it is an earlier, interrupted transfer of the same session: the same
 * `createdAt` (restoring keeps it, so a session made some other way differs) and no seq beyond
 * the source's `lastSeq`. Anything else is a live session of the same id, which a resume would
 * write into.
 */
export function resumeRefusal(held: Pick<SessionInfo, 'createdAt' | 'lastSeq'>, snapshot: SessionSnapshot): string | null {
  if (held.createdAt.getTime() !== snapshot.createdAt.getTime()) {
    return `the target's session was created at ${held.createdAt.toISOString()}, the source's at ${snapshot.createdAt.toISOString()}: it is another session with the same id, not an earlier copy of this one`;
  }
  if (held.lastSeq > snapshot.lastSeq) {
    return `the target's session has reached seq ${held.lastSeq}, beyond the source's last seq ${snapshot.lastSeq}: it was written to after the copy`;
  }
  return null;
}

/** The error for a session the target holds already, with `onExisting: "error"`. */
export function alreadyExists(errors: StoreErrors, userId: string, sessionId: string): Error {
  return errors.make(
    'ALREADY_EXISTS',
    `session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} already exists in the target; skip existing sessions or resume them (onExisting "skip" or onExisting "resume")`,
  );
}

/** The error for a session that may not be resumed. */
export function resumeConflict(errors: StoreErrors, userId: string, sessionId: string, why: string): Error {
  return errors.make('CONFLICT', `session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} cannot be resumed: ${why}`);
}

/**
 * Looks a session up in the target before anything is written to it, applying `onExisting`:
 * `null` when it does not exist (or will be skipped), what it holds when it will be resumed.
 * `"error"` gives `ALREADY_EXISTS`, and a session that may not be resumed `CONFLICT`.
 */
export async function checkExisting<M extends JsonObject>(
  target: SessionStore<M>,
  userId: string,
  snapshot: SessionSnapshot,
  onExisting: 'skip' | 'error' | 'resume',
  errors: StoreErrors,
): Promise<HeldSession | null> {
  const held = await target.getSession(userId, snapshot.id, { limit: 0 });
  if (!held || onExisting === 'skip') return null;
  if (onExisting === 'error') {
    throw alreadyExists(errors, userId, snapshot.id);
  }
  const why = resumeRefusal(held, snapshot);
  if (why) throw resumeConflict(errors, userId, snapshot.id, why);
  const [newest] = await target.getMessages(userId, snapshot.id, { limit: 1 });
  return { highestSeq: newest?.seq ?? 0, messageCount: held.messageCount };
}
