import { randomUUID } from 'node:crypto';
import { InputGuard } from './input-guard.js';
import type { SessionStore } from './store.js';
import type { JsonObject } from './types.js';

/**
 * One session of one user, seen as a plain list of items: the shape agent SDKs expect of a
 * session (the OpenAI Agents SDK's `Session` interface has exactly these methods). Seqs,
 * timestamps and metadata stay in the store; use the store itself for them.
 */
export interface SessionHandle<M extends JsonObject = JsonObject> {
  /** The session's id; generated (a UUID v4) on first use when the handle was opened without one. */
  getSessionId(): Promise<string>;
  /** The items, oldest first: the newest `limit` of them, or all when `limit` is absent. */
  getItems(limit?: number): Promise<M[]>;
  /** Appends the items as one atomic batch, creating the session if needed. An empty array does nothing. */
  addItems(items: M[]): Promise<void>;
  /** Removes and returns the newest item, or `undefined` when there is none. */
  popItem(): Promise<M | undefined>;
  /** Removes every item; the session itself (metadata, seqs) is kept. */
  clearSession(): Promise<void>;
}

/**
 * Opens a handle on one session of `userId` in `store`. Nothing is read or written until a
 * method is called; the session is created by the first `addItems`. Without `sessionId`, a
 * UUID v4 is generated once, on first use, and kept for the handle's life.
 *
 * The ids are checked now, with the store's rules: a blank or over-long id throws
 * `INVALID_ARGUMENT` here rather than on the first call.
 *
 * @example
 * const session = openSession(store, 'user-1', 'chat-1');
 * await session.addItems([{ role: 'user', content: 'hi' }]);
 * const history = await session.getItems(20);
 */
export function openSession<M extends JsonObject = JsonObject>(
  store: SessionStore<M>,
  userId: string,
  sessionId?: string,
): SessionHandle<M> {
  const guard = new InputGuard({ backend: store.backend });
  const user = guard.userId(userId);
  let id = sessionId === undefined ? undefined : guard.sessionId(sessionId);
  const ensureId = (): string => (id ??= randomUUID());

  return {
    async getSessionId() {
      return ensureId();
    },
    async getItems(limit?: number) {
      const messages = await store.getMessages(user, ensureId(), limit === undefined ? {} : { limit });
      return messages.map((stored) => stored.message);
    },
    async addItems(items: M[]) {
      if (Array.isArray(items) && items.length === 0) return;
      await store.append(user, ensureId(), items);
    },
    async popItem() {
      const popped = await store.popMessage(user, ensureId());
      return popped?.message;
    },
    async clearSession() {
      await store.clearSession(user, ensureId());
    },
  };
}
