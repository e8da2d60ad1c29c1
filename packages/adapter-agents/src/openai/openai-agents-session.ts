import { randomUUID } from 'node:crypto';
import { isSessionStoreError, type AppendResult, type JsonObject, type SessionStore } from '@sessions/core';
import type { AgentInputItem, SessionHistoryTransactionArgs, SessionHistoryTransactionAwareSession } from '@openai/agents-core';
import { decodeItem, encodeItem } from './item-codec.js';
import { historyEdit, isHistoryEdit, readHistoryTail } from '../shared/history-log.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { agentErrors, parseTransactionArgs, transactionKey, type ParsedTransactionArgs } from './transaction.js';

/** Options of {@link OpenAIAgentsSession}. */
export interface OpenAIAgentsSessionOptions {
  /** Any `@sessions` store: in memory, Redis, PostgreSQL, DynamoDB, encrypted... */
  store: SessionStore;
  /** The owner of the session. */
  userId: string;
  /** The session to use; a UUID v4 is generated on first use when absent. */
  sessionId?: string;
  /**
   * What `getItems()` without a limit returns: only the newest `historyLimit` items. The JS
   * runner reads the whole history on every turn; this bounds what it sends to the model.
   * An explicit `getItems(limit)` is unaffected. @default undefined (the whole history)
   */
  historyLimit?: number;
  /** How many times a compare-and-append (pop, suffix replace) is retried under contention. @default 8 */
  maxRetries?: number;
}

/** `expectedLastSeq` no session can reach: turns an append into a pure idempotency probe. */
const PROBE_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * The OpenAI Agents SDK's `Session` over any `SessionStore`: pass it to `run(agent, input, {
 * session })`. Items are stored in the SDK's own shape, one message per item.
 *
 * Beyond the base interface it implements the SDK's history-transaction capability
 * (`applyHistoryTransaction`) and `replaceHistoryWithCompaction`. Every change that removes
 * items (a suffix replace, a compaction, a pop, a clear) is ONE append to the session: a
 * history-edit record saying how many preceding items it drops, followed by the new items. So
 * it is atomic on every backend (a batch lands whole or not at all), crash-safe (there is no
 * intermediate state to leave behind), and never rewrites the stored history. Reads apply the
 * records while walking back from the newest message.
 */
export class OpenAIAgentsSession implements SessionHistoryTransactionAwareSession {
  readonly #store: SessionStore;
  readonly #userId: string;
  readonly #historyLimit: number | undefined;
  readonly #maxRetries: number;
  #sessionId: string | undefined;

  constructor(options: OpenAIAgentsSessionOptions) {
    const { historyLimit, maxRetries = 8 } = options;
    if (historyLimit !== undefined && (!Number.isSafeInteger(historyLimit) || historyLimit < 0)) {
      throw agentErrors.invalid(`historyLimit must be a non-negative integer, got ${String(historyLimit)}`);
    }
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
      throw agentErrors.invalid(`maxRetries must be a non-negative integer, got ${String(maxRetries)}`);
    }
    this.#store = options.store;
    this.#userId = options.userId;
    this.#sessionId = options.sessionId?.trim() || undefined;
    this.#historyLimit = historyLimit;
    this.#maxRetries = maxRetries;
  }

  /** The session id, generated (UUID v4) on first call when none was given. */
  async getSessionId(): Promise<string> {
    return this.#id();
  }

  /**
   * The newest `limit` items, oldest first; without `limit`, the newest `historyLimit` items
   * (the whole history when that option is unset).
   */
  async getItems(limit?: number): Promise<AgentInputItem[]> {
    const want = limit ?? this.#historyLimit;
    if (want !== undefined && want <= 0) return [];
    const { items } = await readHistoryTail(this.#store, this.#userId, this.#id(), want);
    return items.map((stored) => decodeItem<AgentInputItem>(stored.message));
  }

  /** Appends items in one atomic append. */
  async addItems(items: AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.#store.append(this.#userId, this.#id(), items.map(encodeItem));
  }

  /** Removes and returns the newest item (`undefined` when there is none), atomically. */
  async popItem(): Promise<AgentInputItem | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      const tail = await readHistoryTail(this.#store, this.#userId, this.#id(), 1);
      const newest = tail.items[0];
      if (!newest) return undefined;
      if (await this.#appendIfUnchanged([historyEdit(1)], tail.lastSeq, attempt)) {
        return decodeItem<AgentInputItem>(newest.message);
      }
    }
  }

  /** Empties the history (one record dropping every item); a no-op for a session never written. */
  async clearSession(): Promise<void> {
    try {
      await this.#store.append(this.#userId, this.#id(), historyEdit('all'), { create: false });
    } catch (error) {
      if (!isSessionStoreError(error, 'NOT_FOUND')) throw error;
    }
  }

  /**
   * Replaces the whole history with `items` (a compaction item and what it keeps) in one
   * atomic append, so an interrupted compaction leaves either the old or the new history.
   */
  async replaceHistoryWithCompaction(items: AgentInputItem[]): Promise<void> {
    await this.#store.append(this.#userId, this.#id(), [historyEdit('all'), ...items.map(encodeItem)]);
  }

  /**
   * Applies an SDK history transaction atomically and at most once per `operationId`, on any
   * backend: the history change and the operation record are one append whose idempotency key
   * is the operation id. A retry with the same transaction succeeds without applying it again;
   * the same id with another transaction is `INVALID_ARGUMENT`; a suffix that no longer matches
   * is `CONFLICT`. In both failure cases nothing is written.
   */
  async applyHistoryTransaction(args: SessionHistoryTransactionArgs): Promise<void> {
    const parsed = parseTransactionArgs(args);
    const { transaction } = parsed;
    if (transaction.type === 'append_items') {
      const result = await this.#store.append(
        this.#userId,
        this.#id(),
        [historyEdit(0, parsed), ...transaction.items],
        { idempotencyKey: transactionKey(parsed.operationId) },
      );
      if (result.duplicate) await this.#checkSameTransaction(result, parsed);
      return;
    }
    const { expectedSuffix, replacement } = transaction;
    for (let attempt = 0; ; attempt += 1) {
      const tail = await readHistoryTail(this.#store, this.#userId, this.#id(), expectedSuffix.length);
      const matches =
        tail.items.length === expectedSuffix.length &&
        tail.items.every((stored, index) => canonicalJson(stored.message) === canonicalJson(expectedSuffix[index]));
      if (!matches) {
        if (await this.#alreadyApplied(parsed)) return;
        throw agentErrors.make(
          'CONFLICT',
          `history transaction ${JSON.stringify(parsed.operationId)}: the session's newest items no longer match expectedSuffix; nothing was changed`,
        );
      }
      const result = await this.#appendIfUnchanged(
        [historyEdit(expectedSuffix.length, parsed), ...replacement],
        tail.lastSeq,
        attempt,
        transactionKey(parsed.operationId),
      );
      if (result?.duplicate) await this.#checkSameTransaction(result, parsed);
      if (result) return;
    }
  }

  #id(): string {
    this.#sessionId ??= randomUUID();
    return this.#sessionId;
  }

  /**
   * Compare-and-append: appends only if the session's `lastSeq` is still the one the caller
   * read. Returns `null` when another write got in between (the caller re-reads and tries
   * again), and gives up with the store's `CONFLICT` after `maxRetries` lost races.
   */
  async #appendIfUnchanged(
    messages: JsonObject[],
    expectedLastSeq: number,
    attempt: number,
    idempotencyKey?: string,
  ): Promise<AppendResult | null> {
    try {
      const options = idempotencyKey === undefined ? { expectedLastSeq } : { expectedLastSeq, idempotencyKey };
      return await this.#store.append(this.#userId, this.#id(), messages, options);
    } catch (error) {
      if (isSessionStoreError(error, 'CONFLICT') && attempt < this.#maxRetries) return null;
      throw error;
    }
  }

  /**
   * Whether the operation was applied before, without writing anything: the store answers a
   * known idempotency key before it checks `expectedLastSeq`, and no session reaches PROBE_SEQ.
   */
  async #alreadyApplied(parsed: ParsedTransactionArgs): Promise<boolean> {
    try {
      const result = await this.#store.append(this.#userId, this.#id(), historyEdit(0, parsed), {
        idempotencyKey: transactionKey(parsed.operationId),
        expectedLastSeq: PROBE_SEQ,
        create: false,
      });
      if (result.duplicate) await this.#checkSameTransaction(result, parsed);
      return result.duplicate;
    } catch (error) {
      if (isSessionStoreError(error, 'CONFLICT') || isSessionStoreError(error, 'NOT_FOUND')) return false;
      throw error;
    }
  }

  /** A duplicate operation id must carry the same transaction as the first time. */
  async #checkSameTransaction(result: AppendResult, parsed: ParsedTransactionArgs): Promise<void> {
    const [first] = await this.#store.getMessages(this.#userId, this.#id(), {
      afterSeq: result.firstSeq - 1,
      limit: 1,
      from: 'start',
    });
    // The record can only be missing if the log was cleared outside this adapter; the
    // operation was applied then, so the retry is accepted.
    const record: JsonObject | undefined = first?.seq === result.firstSeq ? first.message : undefined;
    if (record && isHistoryEdit(record) && record.digest !== parsed.digest) {
      throw agentErrors.invalid(
        `history operation ${JSON.stringify(parsed.operationId)} was already applied with a different transaction; use a new operationId`,
      );
    }
  }
}
