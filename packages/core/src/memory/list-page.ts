import { compareListOrder, encodeListCursor, type ListCursor } from '../cursor.js';
import type { Page, SessionInfo } from '../types.js';
import { isLive, toSessionInfo, type SessionState } from './session-state.js';

/**
 * One `listSessions` page over a user's session records: live ones only, newest `updatedAt`
 * first then id ascending, starting after `cursor`. Sorting the user's sessions in memory is
 * fine here: it is one user's list, not history.
 */
export function listPage(states: SessionState[], cursor: ListCursor | null, limit: number, now: number): Page<SessionInfo> {
  if (limit === 0) return { items: [], nextCursor: null };
  const keyed = states
    .filter((state) => isLive(state, now))
    .map((state) => ({ state, key: { updatedAt: state.updatedAt, id: state.id } }))
    .filter(({ key }) => cursor === null || compareListOrder(key, cursor) > 0)
    .sort((a, b) => compareListOrder(a.key, b.key));
  const page = keyed.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = keyed.length > limit && last ? encodeListCursor(last.key) : null;
  return { items: page.map(({ state }) => toSessionInfo(state)), nextCursor };
}
