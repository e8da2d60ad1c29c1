import type { Clock, StoreErrors } from '@sessions/core';

/**
 * The optional message TTL: a message stored more than `ttlMs` ago is hidden from every read.
 * Seqs grow with append time, so the expired messages of a session are its oldest ones (a
 * prefix of the log); `purgeExpiredMessages` removes them with `trimSession`.
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

  /** The time before which a stored message has expired, or `undefined` without a TTL. */
  cutoff(): number | undefined {
    return this.ttlMs === undefined ? undefined : this.clock() - this.ttlMs;
  }
}
