import { storeErrors } from '../errors.js';
import { MAX_LIST_LIMIT } from '../limits.js';
import type { SessionStore } from '../store.js';
import type { JsonObject, SessionSnapshot, StoredMessage } from '../types.js';
import type { ReadSessionsOptions, TransferProgress } from './types.js';

/** One step of a transfer: a session record, or a page of the messages of the session before it. */
export type TransferItem<M extends JsonObject = JsonObject> =
  | { kind: 'session'; userId: string; snapshot: SessionSnapshot }
  | { kind: 'messages'; messages: StoredMessage<M>[] };

/** Default `pageSize` of exports and copies. */
export const DEFAULT_TRANSFER_PAGE_SIZE = 1000;

/**
 * Reads a store page by page: users, their sessions (`listSessions` pages), and each session's
 * messages (`getMessages` pages from the oldest), so memory stays at one page whatever the
 * store holds. Messages appended after a session was listed (seq above its `lastSeq`) are left
 * out, so the snapshot and its messages always agree. Sessions changed during the read may be
 * missed or partial: read a quiet store for an exact copy.
 */
export async function* readSessions<M extends JsonObject>(
  store: SessionStore<M>,
  options: ReadSessionsOptions = {},
): AsyncGenerator<TransferItem<M>> {
  const pageSize = checkPageSize(options.pageSize);
  const progress = { sessions: 0, messages: 0 };
  for await (const userId of options.userIds ?? store.listUsers()) {
    let cursor: string | null = null;
    do {
      const page = await store.listSessions(userId, { limit: Math.min(pageSize, MAX_LIST_LIMIT), cursor });
      for (const info of page.items) {
        const { id, metadata, createdAt, updatedAt, expiresAt, lastSeq } = info;
        yield { kind: 'session', userId, snapshot: { id, metadata, createdAt, updatedAt, expiresAt, lastSeq } };
        progress.sessions++;
        options.onProgress?.({ ...progress });
        let afterSeq = 0;
        for (;;) {
          const messages = await store.getMessages(userId, id, { afterSeq, beforeSeq: lastSeq + 1, limit: pageSize, from: 'start' });
          const last = messages[messages.length - 1];
          if (!last) break;
          yield { kind: 'messages', messages };
          progress.messages += messages.length;
          options.onProgress?.({ ...progress });
          if (messages.length < pageSize) break;
          afterSeq = last.seq;
        }
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
}

function checkPageSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_TRANSFER_PAGE_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw storeErrors('export').invalid(`pageSize must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Counts what a transfer of `store` would read (sessions, and messages by each session's
 * `messageCount`) from the listings alone, without reading a message: one `listSessions` call
 * per 1000 sessions. Gives a progress bar its total before a transfer starts; a store written
 * meanwhile may end up a little off.
 */
export async function countSessions<M extends JsonObject>(
  store: SessionStore<M>,
  options: Pick<ReadSessionsOptions, 'userIds'> = {},
): Promise<TransferProgress> {
  const totals: TransferProgress = { sessions: 0, messages: 0 };
  for await (const userId of options.userIds ?? store.listUsers()) {
    let cursor: string | null = null;
    do {
      const page = await store.listSessions(userId, { limit: MAX_LIST_LIMIT, cursor });
      totals.sessions += page.items.length;
      for (const info of page.items) totals.messages += info.messageCount;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return totals;
}
