import type { Clock, GetMessagesOptions, JsonObject, SessionStore, StoreErrors, StoredMessage } from '@sessions/core';

/**
 * The optional message TTL: a message appended more than `ttlMs` ago is hidden from every
 * read. Seqs grow with append time, so the expired messages of a session are always its oldest
 * ones (a prefix of the log); removing them is the job of `purgeExpiredMessages`.
 */
export class MessageTtl {
  constructor(
    /** `undefined`: messages never expire on their own. */
    readonly ttlMs: number | undefined,
    private readonly clock: Clock,
    errors: StoreErrors,
  ) {
    if (ttlMs !== undefined && (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)) {
      throw errors.invalid(`messageTtlMs must be a positive integer number of milliseconds, got ${String(ttlMs)}`);
    }
  }

  /** `true` when the message is past its TTL now. */
  isExpired(message: StoredMessage<unknown>): boolean {
    return this.ttlMs !== undefined && message.createdAt.getTime() + this.ttlMs <= this.clock();
  }

  /** The messages still live (all of them without a TTL). */
  filter<T extends StoredMessage<unknown>>(messages: T[]): T[] {
    if (this.ttlMs === undefined || messages.length === 0) return messages;
    const first = messages.findIndex((message) => !this.isExpired(message));
    return first === 0 ? messages : first === -1 ? [] : messages.slice(first);
  }

  /**
   * `getMessages` on the inner store with expired messages left out. With `from: "start"` and
   * a limit, the oldest messages of the range may be expired: read on past them so the caller
   * still gets the oldest `limit` live ones.
   */
  async read(inner: SessionStore<JsonObject>, userId: string, sessionId: string, options: GetMessagesOptions): Promise<StoredMessage[]> {
    const page = await inner.getMessages(userId, sessionId, options);
    if (this.ttlMs === undefined) return page;
    let live = this.filter(page);
    const limit = options?.limit;
    if (options?.from !== 'start' || limit === undefined) return live;
    // Expired messages are the oldest: keep reading after them until `limit` live ones (or the range's end).
    let last = page;
    let asked = limit;
    while (live.length < limit && last.length === asked && last.length > 0) {
      asked = limit - live.length;
      last = await inner.getMessages(userId, sessionId, { ...options, afterSeq: last[last.length - 1]!.seq, limit: asked });
      live = live.concat(this.filter(last));
    }
    return live;
  }
}
