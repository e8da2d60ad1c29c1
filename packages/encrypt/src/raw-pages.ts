import type { JsonObject, SessionStore, StoredMessage } from '@sessions/core';

/** How many stored messages one page read fetches when walking a whole session. */
export const PAGE_SIZE = 500;

/**
 * The stored messages of a session with seq <= `uptoSeq` (all when absent), oldest first, one
 * page at a time, so copying a long session never holds more than a page of reads in flight.
 */
export async function* rawPages(
  inner: SessionStore<JsonObject>,
  userId: string,
  sessionId: string,
  uptoSeq?: number,
): AsyncGenerator<StoredMessage[]> {
  let afterSeq = 0;
  for (;;) {
    const page = await inner.getMessages(userId, sessionId, {
      afterSeq,
      from: 'start',
      limit: PAGE_SIZE,
      ...(uptoSeq === undefined ? {} : { beforeSeq: uptoSeq + 1 }),
    });
    if (page.length > 0) yield page;
    if (page.length < PAGE_SIZE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}
