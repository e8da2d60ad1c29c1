import type { JsonObject, SessionStore, StoredMessage } from '@sessions/core';

/**
 * The `type` of a history-edit record. Versions of these adapters before the store had
 * `replaceTail` wrote such records instead of removing entries; nothing writes them any more,
 * but sessions written then still hold them, so every read here still applies them. Neither the
 * OpenAI Agents SDK's items nor the AI SDK's `UIMessage`s (which have no `type`) carry this type.
 */
export const HISTORY_EDIT_TYPE = '@sessions/history-edit';

/**
 * A record that earlier versions appended in the same atomic batch as the entries it
 * introduced. It drops the `drop` newest entries that precede it (`"all"`: every entry before
 * it). Found only in sessions written by those versions.
 */
export interface HistoryEdit {
  type: typeof HISTORY_EDIT_TYPE;
  /** How many of the preceding items it removes from the history, or `"all"`. */
  drop: number | 'all';
  /** The SDK operation it belongs to (history transactions only). */
  operationId?: string;
  /** SHA-256 of the transaction, to tell a retry from a reused `operationId`. */
  digest?: string;
}

/** `true` when a stored message is a history-edit record (written by an earlier version) rather than an item. */
export function isHistoryEdit(message: JsonObject): message is JsonObject & HistoryEdit {
  return message['type'] === HISTORY_EDIT_TYPE;
}

/** The newest items of a session's history, after applying every history-edit record. */
export interface HistoryTail {
  /** The items, oldest first, with their seqs. */
  items: StoredMessage[];
  /** The session's `lastSeq` when the read began: the guard for a compare-and-append. */
  lastSeq: number;
}

/** First page of a whole-history read. */
const FIRST_FULL_PAGE = 64;
/** Largest page read in one round trip while walking back. */
const MAX_PAGE = 2000;

/**
 * Reads the newest `want` items of the history (all when absent), walking the log backwards
 * from its end. A session written by these adapters holds only items, and this is one
 * `getSession` call of about `want` messages (the cost follows what is returned, not the length
 * of the log). In a session written by an earlier version, a record with `drop: n` hides the
 * `n` items before it and a record with `drop: "all"` ends the walk, so such a session reads
 * exactly as it did then.
 */
export async function readHistoryTail(
  store: SessionStore,
  userId: string,
  sessionId: string,
  want?: number,
): Promise<HistoryTail> {
  // A little more than asked, so a pop or two does not cost a second round trip. A whole-history
  // read starts small and doubles, so after a compaction it stops near the compaction instead
  // of fetching a large page of hidden entries.
  let pageSize = want === undefined ? FIRST_FULL_PAGE : want === 0 ? 0 : want + 8;
  const session = await store.getSession(userId, sessionId, { limit: pageSize });
  if (!session) return { items: [], lastSeq: 0 };
  if (want === 0) return { items: [], lastSeq: session.lastSeq };
  const newestFirst: StoredMessage[] = [];
  let page = session.messages;
  let skip = 0;
  for (;;) {
    for (let index = page.length - 1; index >= 0; index -= 1) {
      const stored = page[index] as StoredMessage;
      if (isHistoryEdit(stored.message)) {
        if (stored.message.drop === 'all') return done(newestFirst, session.lastSeq);
        skip += stored.message.drop;
      } else if (skip > 0) {
        skip -= 1;
      } else {
        newestFirst.push(stored);
        if (want !== undefined && newestFirst.length >= want) return done(newestFirst, session.lastSeq);
      }
    }
    const oldest = page[0];
    if (page.length < pageSize || !oldest) return done(newestFirst, session.lastSeq);
    pageSize = Math.min(pageSize * 2, MAX_PAGE);
    page = await store.getMessages(userId, sessionId, { beforeSeq: oldest.seq, limit: pageSize });
  }
}

function done(newestFirst: StoredMessage[], lastSeq: number): HistoryTail {
  return { items: newestFirst.reverse(), lastSeq };
}
