import { isSessionStoreError, type AppendResult, type SessionStore, type StoredMessage } from '@sessions/core';
import { isHistoryEdit } from '../shared/history-log.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { agentErrors, legacyDigest, transactionKey, type ParsedTransactionArgs } from './transaction.js';

/** `expectedLastSeq` and `afterSeq` no session reaches: turns a replaceTail into a pure key probe. */
const PROBE_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * What the store remembers of one history transaction, kept in its idempotency keys and in the
 * history itself, so no extra record is ever written.
 *
 * The SDK's `MemorySession` keeps every applied operation id until `clearSession`. Here an
 * application's write carries the operation id as its idempotency key, and the store answers a
 * retry with the first write's seq range. That application is **remembered** while the
 * session still holds a message at or before the range's first seq; once everything up to it
 * has been removed (a clear, a compaction, a replacement of the whole history, pops down to
 * empty) it is **forgotten**, as `MemorySession.clearSession` forgets it, and the next
 * application uses the key of the next generation (`…#2`, `…#3`).
 */
export class TransactionLog {
  constructor(
    private readonly store: SessionStore,
    private readonly userId: string,
    private readonly sessionId: string,
    private readonly parsed: ParsedTransactionArgs,
  ) {}

  /** The idempotency key of the operation's `generation`-th application. */
  key(generation: number): string {
    return transactionKey(this.parsed.operationId, generation);
  }

  /**
   * The first result of the `generation`-th application, or `null` when it never happened. It
   * writes nothing: the store answers a known key before it checks `expectedLastSeq`, which no
   * session reaches.
   */
  async probe(generation: number): Promise<AppendResult | null> {
    try {
      const result = await this.store.replaceTail(
        this.userId,
        this.sessionId,
        { afterSeq: PROBE_SEQ, messages: [] },
        { expectedLastSeq: PROBE_SEQ, idempotencyKey: this.key(generation), create: false },
      );
      return result.duplicate ? result : null;
    } catch (error) {
      if (isSessionStoreError(error, 'CONFLICT') || isSessionStoreError(error, 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /**
   * Whether an earlier application (`first`, the store's answer to its key) still counts. When
   * it does, it must have carried the same transaction: a reused operation id with another
   * transaction is `INVALID_ARGUMENT`, as in `MemorySession`.
   */
  async remembers(first: AppendResult): Promise<boolean> {
    const [oldest] = await this.store.getMessages(this.userId, this.sessionId, { limit: 1, from: 'start' });
    if (oldest) {
      if (oldest.seq > first.firstSeq) return false;
    } else {
      const session = await this.store.getSession(this.userId, this.sessionId, { limit: 0 });
      if (!session || session.lastSeq >= first.firstSeq) return false;
    }
    this.checkSame(first, await this.written(first));
    return true;
  }

  /** The messages of the first application that the session still holds. */
  private async written(first: AppendResult): Promise<StoredMessage[]> {
    if (first.lastSeq < first.firstSeq) return [];
    return this.store.getMessages(this.userId, this.sessionId, { afterSeq: first.firstSeq - 1, beforeSeq: first.lastSeq + 1 });
  }

  /**
   * Compares what the first application wrote with this transaction: the number of items
   * always (the store gives the range), their content where they are still held. Only the
   * replacement of a suffix transaction is compared: the suffix it replaced is gone.
   */
  private checkSame(first: AppendResult, held: StoredMessage[]): void {
    const { transaction, operationId } = this.parsed;
    const expected = transaction.type === 'append_items' ? transaction.items : transaction.replacement;
    const different = () =>
      agentErrors.invalid(
        `Session history operation ${JSON.stringify(operationId)} was already applied with a different transaction; use a new operationId.`,
      );
    const count = first.lastSeq - first.firstSeq + 1;
    const record = held[0]?.seq === first.firstSeq ? held[0].message : undefined;
    if (record && isHistoryEdit(record)) {
      // Applied by an earlier version: its record, first of the batch, carries a digest.
      if (record.digest !== undefined && record.digest !== legacyDigest(transaction)) throw different();
      return;
    }
    // An earlier version's application whose record was removed since: nothing left to compare.
    if (held.length === 0 && count === expected.length + 1) return;
    if (count !== expected.length) throw different();
    for (const stored of held) {
      const item = expected[stored.seq - first.firstSeq];
      if (item === undefined || canonicalJson(stored.message) !== canonicalJson(item)) throw different();
    }
  }
}
