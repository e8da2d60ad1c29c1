import { randomUUID } from 'node:crypto';
import { isSessionStoreError, openStore, type AppendResult, type JsonObject, type SessionStore, type StoreOptions } from '@sessions/core';
import type {
  AgentInputItem,
  SessionHistoryRewriteArgs,
  SessionHistoryRewriteAwareSession,
  SessionHistoryTransactionArgs,
  SessionHistoryTransactionAwareSession,
} from '@openai/agents-core';
import { decodeItem, encodeItems, UnstorableItemError } from './item-codec.js';
import { isHistoryEdit, readHistoryTail } from '../shared/history-log.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { agentErrors, parseTransactionArgs, type ParsedTransactionArgs } from './transaction.js';
import { TransactionLog } from './transaction-log.js';
import { parseMutations, planMutations } from './history-mutations.js';

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
  /** How many times a suffix replacement is retried when another writer got in between. @default 8 */
  maxRetries?: number;
  /**
   * The SDK's logger (`getLogger(...)` from `@openai/agents-core`, or any object of that shape).
   * Like the SDK's `MemorySession`, the session logs what it reads and writes at debug level,
   * items included only when the logger allows model and tool data.
   * @default undefined (nothing is logged)
   */
  logger?: SessionLogger;
}

/** The part of the SDK's `Logger` the session uses. */
export interface SessionLogger {
  debug(message: string, ...args: unknown[]): void;
  dontLogModelData: boolean;
  dontLogToolData: boolean;
}

/** Options of {@link OpenAIAgentsSession.fromUrl}. */
export interface OpenAIAgentsSessionUrlOptions extends Omit<OpenAIAgentsSessionOptions, 'store' | 'userId'> {
  /** The owner of the session. @default "default" */
  userId?: string;
  /** Options of the store the URL opens (`ttlMs`, `codecs`, ...). */
  storeOptions?: StoreOptions & Record<string, unknown>;
  /**
   * Run `store.setup()` (create tables; safe to re-run) after opening. Turn it off where the
   * schema is set up separately (`sessions migrate`) and the app has no rights to change it.
   * @default true
   */
  setup?: boolean;
}

/**
 * The OpenAI Agents SDK's `Session` over any `SessionStore`: pass it to `run(agent, input, {
 * session })`. Items are stored in the SDK's own shape, one store message per item, and the
 * store holds exactly the history: a pop, a clear, a suffix replacement and a compaction remove
 * what they remove, each in one atomic store operation (`popMessage`, `clearSession`,
 * `replaceTail`), so any other reader of the session (`getMessages`, the CLI, an export) sees
 * the same items as `getItems()`.
 *
 * Beyond the base interface it implements the SDK's optional capabilities, as its
 * `MemorySession` does: history transactions (`applyHistoryTransaction`, applied at most once
 * per operation id), history mutations (`applyHistoryMutations`) and
 * `replaceHistoryWithCompaction`.
 */
export class OpenAIAgentsSession implements SessionHistoryTransactionAwareSession, SessionHistoryRewriteAwareSession {
  readonly #store: SessionStore;
  readonly #userId: string;
  readonly #historyLimit: number | undefined;
  readonly #maxRetries: number;
  readonly #logger: SessionLogger | undefined;
  #sessionId: string | undefined;
  #ownsStore = false;

  /**
   * A session over the store a URL names, which the session owns (`close()` closes it): the
   * one-liner, as close as TypeScript allows to the Python SDK's
   * `SQLiteSession("user_123", "conversations.db")`.
   *
   * @example
   * const session = await OpenAIAgentsSession.fromUrl('sqlite:./conversations.db', { sessionId: 'user_123' });
   * await run(agent, 'Hello', { session });
   * await session.close();
   */
  static async fromUrl(url: string, options: OpenAIAgentsSessionUrlOptions = {}): Promise<OpenAIAgentsSession> {
    const { userId = 'default', storeOptions, setup = true, ...rest } = options;
    const store = await openStore(url, storeOptions);
    try {
      if (setup) await store.setup();
      const session = new OpenAIAgentsSession({ ...rest, store, userId });
      session.#ownsStore = true;
      return session;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** Closes the store when the session opened it ({@link OpenAIAgentsSession.fromUrl}); otherwise does nothing. */
  async close(): Promise<void> {
    if (this.#ownsStore) await this.#store.close();
  }

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
    this.#logger = options.logger;
  }

  /** Logs an operation as the SDK's MemorySession does: items only where the logger allows data. */
  #log(what: string, items?: unknown): void {
    const logger = this.#logger;
    if (!logger) return;
    if (items === undefined) logger.debug(`${what} (${this.#sessionId ?? 'new session'})`);
    else if (!logger.dontLogModelData && !logger.dontLogToolData) logger.debug(`${what} (${this.#sessionId ?? 'new session'}): ${JSON.stringify(items)}`);
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
    const decoded = items.map((stored) => decodeItem<AgentInputItem>(stored.message));
    this.#log('Getting items from session', decoded);
    return decoded;
  }

  /** Appends items in one atomic append. */
  async addItems(items: AgentInputItem[]): Promise<void> {
    const encoded = encodeOrThrow(items, 'addItems items');
    if (encoded.length === 0) return;
    await this.#store.append(this.#userId, this.#id(), encoded);
    this.#log('Adding items to session', items);
  }

  /** Removes and returns the newest item (`undefined` when there is none), atomically. */
  async popItem(): Promise<AgentInputItem | undefined> {
    const [newest] = await this.#store.getMessages(this.#userId, this.#id(), { limit: 1 });
    if (!newest) return undefined;
    if (isHistoryEdit(newest.message)) return this.#popBehindEdits();
    // The store's pop is one atomic step: two concurrent pops never return the same item.
    const popped = await this.#store.popMessage(this.#userId, this.#id());
    const item = popped ? decodeItem<AgentInputItem>(popped.message) : undefined;
    if (item) this.#log('Popping item from session', item);
    return item;
  }

  /**
   * Empties the history and forgets the operation ids of earlier history transactions, as the
   * SDK's `MemorySession` does; a no-op for a session never written.
   */
  async clearSession(): Promise<void> {
    // The identities need no write of their own: an operation whose items were cleared away
    // counts as forgotten (see TransactionLog).
    await this.#store.clearSession(this.#userId, this.#id());
    this.#log('Clearing session');
  }

  /**
   * Replaces the whole history with `items` (a compaction item and what it keeps) in one atomic
   * `replaceTail`, so an interrupted compaction leaves either the old or the new history, and
   * the replaced items are gone from the store.
   */
  async replaceHistoryWithCompaction(items: AgentInputItem[]): Promise<void> {
    const encoded = encodeOrThrow(items, 'replaceHistoryWithCompaction items');
    await this.#store.replaceTail(this.#userId, this.#id(), { afterSeq: 0, messages: encoded });
  }

  /**
   * Applies an SDK history transaction atomically and at most once per `operationId`, on any
   * backend: the history change and the operation id are one store write (`append` or
   * `replaceTail`) whose idempotency key is the operation id. A retry with the same transaction
   * succeeds without applying it again; the same id with another transaction is
   * `INVALID_ARGUMENT`; a suffix that no longer matches is `CONFLICT`. In both failure cases
   * nothing is written.
   */
  async applyHistoryTransaction(args: SessionHistoryTransactionArgs): Promise<void> {
    const parsed = parseTransactionArgs(args);
    const log = new TransactionLog(this.#store, this.#userId, this.#id(), parsed);
    for (let generation = 1; ; generation += 1) {
      const result = await this.#applyOnce(parsed, log, generation);
      // Applied now, or applied before under this key and still remembered: done either way.
      if (!result.duplicate || (await log.remembers(result))) return;
    }
  }

  /**
   * Applies the SDK's history mutations (`replace_function_call`: the first function call with
   * that `callId` becomes the replacement, later ones with it are dropped), atomically: one
   * `rewriteMessages` in place when nothing is dropped, else one `replaceTail` from the first
   * dropped item, each guarded by compare-and-append and retried (`maxRetries`) when another
   * writer got in between. It reads the whole history.
   */
  async applyHistoryMutations(args: SessionHistoryRewriteArgs): Promise<void> {
    const mutations = parseMutations(args);
    if (mutations.length === 0) return;
    await this.#retrying('applyHistoryMutations', async () => {
      const { items, lastSeq } = await readHistoryTail(this.#store, this.#userId, this.#id());
      const plan = planMutations(items, mutations);
      if (plan.kind === 'rewrite') {
        await this.#store.rewriteMessages(this.#userId, this.#id(), plan.rewrites, { expectedLastSeq: lastSeq });
      } else if (plan.kind === 'replace-tail') {
        await this.#store.replaceTail(this.#userId, this.#id(), { afterSeq: plan.afterSeq, messages: plan.messages }, { expectedLastSeq: lastSeq });
      }
    });
  }

  #id(): string {
    this.#sessionId ??= randomUUID();
    return this.#sessionId;
  }

  /** One application under the key of `generation`; `duplicate` when that key was used before. */
  async #applyOnce(parsed: ParsedTransactionArgs, log: TransactionLog, generation: number): Promise<AppendResult> {
    const key = log.key(generation);
    const { transaction } = parsed;
    if (transaction.type === 'append_items') {
      if (transaction.items.length > 0) {
        return this.#store.append(this.#userId, this.#id(), transaction.items, { idempotencyKey: key });
      }
      return this.#retrying(`history transaction ${JSON.stringify(parsed.operationId)}`, async () => {
        // An empty append still records its operation id (MemorySession does), so the session
        // must exist: a replacement with no messages never creates one.
        const { lastSeq } = await this.#store.getOrCreateSession(this.#userId, this.#id(), { limit: 0 });
        return this.#store.replaceTail(this.#userId, this.#id(), { afterSeq: lastSeq, messages: [] }, { expectedLastSeq: lastSeq, idempotencyKey: key });
      });
    }
    const { expectedSuffix, replacement } = transaction;
    const outcome = await this.#retrying(`history transaction ${JSON.stringify(parsed.operationId)}`, async (): Promise<AppendResult | 'mismatch'> => {
      const tail = await readHistoryTail(this.#store, this.#userId, this.#id(), expectedSuffix.length);
      const matches =
        tail.items.length === expectedSuffix.length &&
        tail.items.every((stored, index) => canonicalJson(stored.message) === canonicalJson(expectedSuffix[index]));
      if (!matches) return (await log.probe(generation)) ?? 'mismatch';
      // Everything after the item before the suffix goes: the suffix itself and, in a session
      // written by an earlier version, the edit records and hidden entries among it.
      const afterSeq = tail.items[0] ? tail.items[0].seq - 1 : tail.lastSeq;
      return this.#store.replaceTail(
        this.#userId,
        this.#id(),
        { afterSeq, messages: replacement },
        { expectedLastSeq: tail.lastSeq, idempotencyKey: key },
      );
    });
    if (outcome !== 'mismatch') return outcome;
    throw agentErrors.make(
      'CONFLICT',
      `Session history suffix no longer matches the transaction precondition (operation ${JSON.stringify(parsed.operationId)}): the session's newest items are not expectedSuffix; nothing was changed.`,
    );
  }

  /**
   * Runs a read-then-compare-and-write step again when another writer got in between (the
   * store's `CONFLICT` on `expectedLastSeq`), up to `maxRetries` times; then it fails with a
   * `CONFLICT` that says so, having written nothing.
   */
  async #retrying<T>(what: string, step: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await step();
      } catch (error) {
        if (!isSessionStoreError(error, 'CONFLICT')) throw error;
        if (attempt >= this.#maxRetries) {
          throw agentErrors.make(
            'CONFLICT',
            `${what}: another writer changed the session between the read and the write, ${attempt + 1} time(s) in a row (maxRetries ${this.#maxRetries}); nothing was changed, retry later`,
            error,
          );
        }
      }
    }
  }

  /**
   * A pop in a session written by an earlier version whose newest entry is a history-edit
   * record: the newest item is behind it, and everything after that item (records and hidden
   * entries) goes with it, in one `replaceTail`.
   */
  async #popBehindEdits(): Promise<AgentInputItem | undefined> {
    return this.#retrying('popItem', async () => {
      const tail = await readHistoryTail(this.#store, this.#userId, this.#id(), 1);
      const newest = tail.items[0];
      if (!newest) return undefined;
      await this.#store.replaceTail(this.#userId, this.#id(), { afterSeq: newest.seq - 1, messages: [] }, { expectedLastSeq: tail.lastSeq });
      return decodeItem<AgentInputItem>(newest.message);
    });
  }
}

function encodeOrThrow(items: unknown, path: string): JsonObject[] {
  try {
    return encodeItems(items, path);
  } catch (error) {
    if (!(error instanceof UnstorableItemError)) throw error;
    throw agentErrors.invalid(`Session history items contain invalid or unsupported data: ${error.message}; nothing was written.`);
  }
}
