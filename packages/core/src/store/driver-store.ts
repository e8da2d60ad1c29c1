import { systemClock, type Clock } from '../clock.js';
import { encodeListCursor } from '../cursor.js';
import {
  isDriverFailure,
  type DriverFailure,
  type SessionDriver,
  type StoredEntry,
} from '../driver/session-driver.js';
import { isSessionStoreError, type SessionStoreError, type StoreErrors } from '../errors.js';
import { InputGuard, type PreparedBatch } from '../input-guard.js';
import { MAX_METADATA_BYTES } from '../limits.js';
import { RestoreGuard } from '../restore-guard.js';
import type { SessionStore } from '../store.js';
import type {
  AppendOptions,
  AppendResult,
  CreateSessionOptions,
  ForkSessionOptions,
  GetMessagesOptions,
  GetOrCreateSessionOptions,
  GetSessionOptions,
  HealthStatus,
  JsonObject,
  ListSessionsOptions,
  MessageRewrite,
  Page,
  PurgeExpiredOptions,
  ReadHistoryOptions,
  ReplaceTailInput,
  ReplaceTailOptions,
  ReplaceTailResult,
  RewriteMessagesOptions,
  RewriteMessagesResult,
  Session,
  SessionInfo,
  SessionSnapshot,
  StoredMessage,
  TrimSessionOptions,
  UpdateSessionOptions,
  SessionChange,
  WatchOptions,
} from '../types.js';
import type { MessageCodec } from './codec.js';
import { CodecChain } from './codec-chain.js';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_BATCH_MESSAGES,
  DEFAULT_READ_PAGE_SIZE,
  type StoreOptions,
} from './options.js';
import { storeSession, type StoreSession } from './store-session.js';
import { watchSession } from './watch.js';

/**
 * The one store: it keeps the contract for every backend over a {@link SessionDriver}. Every
 * call checks its input once (in the contract's order), reads the clock once, applies TTL
 * defaults and the store's limits, runs schema validation and codecs, and turns whatever the
 * driver returns or throws into the contract's result or a `SessionStoreError` with the
 * `[sessions] [<backend>]` prefix. A backend package subclasses it (or calls
 * {@link createStore}) with its driver.
 */
export class DriverSessionStore<M extends JsonObject = JsonObject> implements SessionStore<M> {
  readonly backend: string;
  /** The driver this store works through. */
  protected readonly driver: SessionDriver;
  protected readonly guard: InputGuard<M>;
  protected readonly errors: StoreErrors;
  private readonly restore: RestoreGuard<M>;
  private readonly codecs: CodecChain;
  private readonly clock: Clock;
  private readonly defaultTtlMs: number | null;
  private readonly maxBatchMessages: number;
  private readonly maxBatchBytes: number;
  private readonly readPageSize: number;
  private readonly healthTimeoutMs: number;
  private readonly options: StoreOptions<M>;
  /**
   * The most messages one `rewriteMessages` call may carry on this store: the driver's atomic
   * cap (DynamoDB's transaction size) when it has one, else `maxBatchMessages`. Bulk rewriters
   * (key rotation) page by it.
   */
  readonly maxRewriteBatch: number;
  private closed = false;

  constructor(driver: SessionDriver, options: StoreOptions<M> = {}) {
    this.driver = driver;
    this.options = options;
    this.backend = driver.backend;
    this.guard = new InputGuard<M>({ backend: driver.backend, maxMessageBytes: options.maxMessageBytes, messageSchema: options.messageSchema });
    this.errors = this.guard.errors;
    this.restore = new RestoreGuard(this.guard);
    this.codecs = new CodecChain(options.codecs ?? []);
    this.clock = options.clock ?? systemClock;
    this.defaultTtlMs = this.guard.ttlMs(options.ttlMs) ?? null;
    this.maxBatchMessages = this.positive(options.maxBatchMessages, DEFAULT_MAX_BATCH_MESSAGES, 'maxBatchMessages');
    this.maxBatchBytes = this.positive(options.maxBatchBytes, DEFAULT_MAX_BATCH_BYTES, 'maxBatchBytes');
    this.readPageSize = this.positive(options.readPageSize, DEFAULT_READ_PAGE_SIZE, 'readPageSize');
    this.healthTimeoutMs = this.positive(options.healthTimeoutMs, DEFAULT_HEALTH_TIMEOUT_MS, 'healthTimeoutMs');
    this.maxRewriteBatch = Math.min(driver.maxRewriteBatch ?? Number.POSITIVE_INFINITY, this.maxBatchMessages);
  }

  /**
   * A store over the same driver with `codecs` added after this store's own (what
   * `encryptStore(store, ...)` uses). The new store takes the driver over: close it, and stop
   * using this one.
   */
  withCodecs(codecs: MessageCodec[]): DriverSessionStore<M> {
    this.open();
    return new DriverSessionStore<M>(this.driver, { ...this.options, codecs: [...(this.options.codecs ?? []), ...codecs] });
  }

  async createSession(userId: string, options: CreateSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.newSessionId(options.sessionId);
    const metadata = this.guard.metadata(options.metadata);
    const ttlMs = this.ttlOrDefault(this.guard.ttlMs(options.ttlMs));
    const ref = { userId: user, sessionId: id };
    const stored = await this.codecs.encodeMetadata(metadata, ref);
    const result = await this.call(() => this.driver.create({ ...ref, metadata: stored, ttlMs, now: this.now() }));
    return this.info(this.unwrap(result, ref));
  }

  async getSession(userId: string, sessionId: string, options: GetSessionOptions = {}): Promise<Session<M> | null> {
    this.open();
    const ref = this.ref(userId, sessionId);
    const limit = this.guard.limit(options.limit);
    const now = this.now();
    const found = await this.call(() => this.driver.get({ ...ref, limit: this.firstPage(limit), now }));
    if (!found) return null;
    const entries = await this.completeTail(ref, found.entries, limit, now);
    return { ...(await this.info(found.session)), messages: await this.decode(entries, ref) };
  }

  async getOrCreateSession(userId: string, sessionId: string, options: GetOrCreateSessionOptions = {}): Promise<Session<M> & { created: boolean }> {
    this.open();
    const ref = this.ref(userId, sessionId);
    const limit = this.guard.limit(options.limit);
    const metadata = this.guard.metadata(options.metadata);
    const ttlMs = this.ttlOrDefault(this.guard.ttlMs(options.ttlMs));
    const stored = await this.codecs.encodeMetadata(metadata, ref);
    const now = this.now();
    const found = await this.call(() => this.driver.getOrCreate({ ...ref, limit: this.firstPage(limit), metadata: stored, ttlMs, now }));
    const entries = await this.completeTail(ref, found.entries, limit, now);
    return { ...(await this.info(found.session)), messages: await this.decode(entries, ref), created: found.created };
  }

  async listSessions(userId: string, options: ListSessionsOptions = {}): Promise<Page<SessionInfo>> {
    this.open();
    const user = this.guard.userId(userId);
    const limit = this.guard.listLimit(options.limit);
    const cursor = this.guard.cursor(options.cursor);
    if (limit === 0) return { items: [], nextCursor: null };
    const found = await this.call(() => this.driver.list({ userId: user, limit, cursor, now: this.now() }));
    const page = found.slice(0, limit);
    const items = await Promise.all(page.map((info) => this.info(info)));
    const last = page[page.length - 1];
    const more = found.length > limit && last !== undefined;
    return { items, nextCursor: more ? encodeListCursor({ updatedAt: last.updatedAt.getTime(), id: last.id }) : null };
  }

  async updateSession(userId: string, sessionId: string, options: UpdateSessionOptions): Promise<SessionInfo> {
    this.open();
    const ref = this.ref(userId, sessionId);
    if (typeof options !== 'object' || options === null) throw this.errors.invalid('updateSession needs an options object { metadata?, ttlMs? }');
    const patch = options.metadata === undefined ? undefined : this.guard.metadataPatch(options.metadata);
    const ttlMs = this.guard.ttlMs(options.ttlMs);
    const stored = patch === undefined ? undefined : await this.codecs.encodeMetadata(patch, ref);
    const result = await this.call(() =>
      this.driver.update({ ...ref, patch: stored, ttlMs, maxMetadataBytes: MAX_METADATA_BYTES, now: this.now() }),
    );
    return this.info(this.unwrap(result, ref));
  }

  async deleteSession(userId: string, sessionId: string): Promise<boolean> {
    this.open();
    const ref = this.ref(userId, sessionId);
    return this.call(() => this.driver.delete({ ...ref, now: this.now() }));
  }

  async deleteUser(userId: string): Promise<number> {
    this.open();
    const user = this.guard.userId(userId);
    return this.call(() => this.driver.deleteUser({ userId: user, now: this.now() }));
  }

  async append(userId: string, sessionId: string, messages: M | M[], options: AppendOptions = {}): Promise<AppendResult> {
    this.open();
    const checked = await this.guard.append(userId, sessionId, messages, options);
    this.open();
    this.checkBatch(checked.batch);
    const ref = { userId: checked.userId, sessionId: checked.sessionId };
    // The common path (no codecs) takes no extra turn of the event loop.
    const texts = this.codecs.empty ? checked.batch.encoded : await this.codecs.encode(checked.batch.encoded, ref);
    const idempotencyKey = this.codecs.encodesKeys ? await this.codecs.encodeIdempotencyKey(checked.idempotencyKey, ref) : checked.idempotencyKey;
    let result;
    try {
      result = await this.driver.append({
        userId: ref.userId,
        sessionId: ref.sessionId,
        texts,
        bytes: checked.batch.totalBytes,
        expectedLastSeq: checked.expectedLastSeq,
        idempotencyKey,
        create: checked.create,
        ttlMs: this.defaultTtlMs,
        now: this.now(),
      });
    } catch (error) {
      throw this.mapError(error, true);
    }
    return this.unwrap(result, ref, checked.expectedLastSeq);
  }

  async getMessages(userId: string, sessionId: string, options: GetMessagesOptions = {}): Promise<StoredMessage<M>[]> {
    this.open();
    const ref = this.ref(userId, sessionId);
    const limit = this.guard.limit(options.limit);
    const afterSeq = this.guard.seq(options.afterSeq, 'afterSeq');
    const beforeSeq = this.guard.seq(options.beforeSeq, 'beforeSeq');
    const from = this.guard.readFrom(options.from);
    if (limit === 0) return [];
    const now = this.now();
    if (limit !== undefined && limit <= this.readPageSize) {
      // The common read (the newest n messages): one driver call, nothing to page.
      const page = await this.call(() => this.driver.read({ userId: ref.userId, sessionId: ref.sessionId, afterSeq, beforeSeq, limit, from, now }));
      return this.decode(page, ref);
    }
    const entries =
      from === 'end' && limit !== undefined
        ? await this.readBackward(ref, afterSeq, beforeSeq, limit, now)
        : await this.readForward(ref, afterSeq, beforeSeq, limit, now);
    return this.decode(entries, ref);
  }

  async popMessage(userId: string, sessionId: string): Promise<StoredMessage<M> | null> {
    this.open();
    const ref = this.ref(userId, sessionId);
    const entry = await this.call(() => this.driver.pop({ ...ref, now: this.now() }), true);
    if (!entry) return null;
    const [message] = await this.decode([entry], ref);
    return message ?? null;
  }

  async clearSession(userId: string, sessionId: string): Promise<void> {
    this.open();
    const ref = this.ref(userId, sessionId);
    await this.call(() => this.driver.clear({ ...ref, now: this.now() }), true);
  }

  async replaceTail(userId: string, sessionId: string, input: ReplaceTailInput<M>, options: ReplaceTailOptions = {}): Promise<ReplaceTailResult> {
    this.open();
    const ref = this.ref(userId, sessionId);
    if (typeof input !== 'object' || input === null) throw this.errors.invalid('replaceTail needs { afterSeq, messages }');
    const afterSeq = this.guard.seq(input.afterSeq, 'afterSeq');
    if (afterSeq === undefined) throw this.errors.invalid('replaceTail needs afterSeq, a non-negative integer (0 replaces the whole history)');
    if (!Array.isArray(input.messages)) throw this.errors.invalid('replaceTail needs messages, an array (empty to truncate)');
    const expectedLastSeq = this.guard.seq(options.expectedLastSeq, 'expectedLastSeq');
    const idempotencyKey = this.guard.idempotencyKey(options.idempotencyKey);
    const create = this.guard.create(options.create);
    const batch = input.messages.length === 0 ? { messages: [], encoded: [], totalBytes: 0 } : await this.guard.messages(input.messages);
    this.open();
    this.checkBatch(batch);
    const texts = this.codecs.empty ? batch.encoded : await this.codecs.encode(batch.encoded, ref);
    const storedKey = this.codecs.encodesKeys ? await this.codecs.encodeIdempotencyKey(idempotencyKey, ref) : idempotencyKey;
    const result = await this.call(
      () =>
        this.driver.replaceTail({
          ...ref,
          afterSeq,
          texts,
          bytes: batch.totalBytes,
          expectedLastSeq,
          idempotencyKey: storedKey,
          create,
          ttlMs: this.defaultTtlMs,
          now: this.now(),
        }),
      true,
    );
    return this.unwrap(result, ref, expectedLastSeq);
  }

  async trimSession(userId: string, sessionId: string, options: TrimSessionOptions): Promise<number> {
    this.open();
    const ref = this.ref(userId, sessionId);
    if (typeof options !== 'object' || options === null) throw this.errors.invalid('trimSession needs { beforeSeq }');
    const beforeSeq = this.guard.seq(options.beforeSeq, 'beforeSeq');
    if (beforeSeq === undefined) throw this.errors.invalid('trimSession needs beforeSeq, a non-negative integer');
    return this.call(() => this.driver.trim({ ...ref, beforeSeq, now: this.now() }), true);
  }

  async rewriteMessages(
    userId: string,
    sessionId: string,
    rewrites: MessageRewrite<M>[],
    options: RewriteMessagesOptions = {},
  ): Promise<RewriteMessagesResult> {
    this.open();
    const ref = this.ref(userId, sessionId);
    if (!Array.isArray(rewrites)) throw this.errors.invalid('rewriteMessages needs an array of { seq, message }');
    const expectedLastSeq = this.guard.seq(options.expectedLastSeq, 'expectedLastSeq');
    if (rewrites.length === 0) {
      // Nothing to write, but the contract's answers still hold: NOT_FOUND, CONFLICT.
      const found = await this.call(() => this.driver.get({ ...ref, limit: 0, now: this.now() }));
      if (!found) throw this.errors.notFound(ref.userId, ref.sessionId);
      if (expectedLastSeq !== undefined && expectedLastSeq !== found.session.lastSeq) throw this.errors.conflict(expectedLastSeq, found.session.lastSeq);
      return { rewritten: 0, missing: [] };
    }
    const sorted = this.sortedRewrites(rewrites);
    const batch = await this.guard.messages(sorted.map((item) => item.message));
    this.open();
    this.checkBatch(batch);
    const texts = await this.codecs.encode(batch.encoded, ref);
    const entries = sorted.map((item, i) => ({ seq: item.seq, text: texts[i]! }));
    const result = await this.call(() => this.driver.rewrite({ ...ref, entries, expectedLastSeq, now: this.now() }), true);
    return this.unwrap(result, ref, expectedLastSeq);
  }

  async *readHistory(userId: string, sessionId: string, options: ReadHistoryOptions = {}): AsyncIterable<StoredMessage<M>> {
    this.open();
    const ref = this.ref(userId, sessionId);
    let afterSeq = this.guard.seq(options.afterSeq, 'afterSeq') ?? 0;
    const asked = this.guard.seq(options.pageSize, 'pageSize');
    if (asked === 0) throw this.errors.invalid('pageSize must be at least 1');
    // No call may read more than readPageSize, whatever the caller asks for.
    const pageSize = Math.min(asked ?? this.readPageSize, this.readPageSize);
    for (;;) {
      this.open();
      const page = await this.call(() =>
        this.driver.read({ ...ref, afterSeq, beforeSeq: undefined, limit: pageSize, from: 'start', now: this.now() }),
      );
      const last = page[page.length - 1];
      if (!last) return;
      for (const message of await this.decode(page, ref)) yield message;
      if (page.length < pageSize) return;
      afterSeq = last.seq;
    }
  }

  async forkSession(userId: string, sessionId: string, options: ForkSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const ref = this.ref(userId, sessionId);
    const newSessionId = this.guard.newSessionId(options.newSessionId);
    const uptoSeq = this.guard.seq(options.uptoSeq, 'uptoSeq');
    const patch = options.metadata === undefined ? undefined : this.guard.metadataPatch(options.metadata);
    const target = { userId: ref.userId, sessionId: newSessionId };
    const stored = patch === undefined ? undefined : await this.codecs.encodeMetadata(patch, target);
    const result = await this.call(() =>
      this.driver.fork({ ...ref, newSessionId, uptoSeq, patch: stored, maxMetadataBytes: MAX_METADATA_BYTES, now: this.now() }),
    );
    let info = this.unwrap(result, ref, undefined, newSessionId);
    if (this.codecs.rebinds || this.codecs.rebindsMetadata) {
      try {
        if (this.codecs.rebinds) await this.rebindFork(ref, target, info.lastSeq);
        if (this.codecs.rebindsMetadata) info = await this.rebindForkMetadata(ref, target, info);
      } catch (error) {
        // A fork whose entries are still bound to the source cannot be read: never leave one.
        await this.driver.delete({ ...target, now: this.now() }).catch(() => undefined);
        throw this.mapError(error);
      }
    }
    return this.info(info);
  }

  async *listUsers(): AsyncIterable<string> {
    this.open();
    const users = this.driver.listUsers({ now: this.now() })[Symbol.asyncIterator]();
    for (;;) {
      this.open();
      const next = await this.call(() => users.next());
      if (next.done) return;
      yield next.value;
    }
  }

  async restoreSession(userId: string, snapshot: SessionSnapshot): Promise<void> {
    this.open();
    const user = this.guard.userId(userId);
    const now = this.now();
    const checked = this.restore.snapshot(snapshot, now);
    const ref = { userId: user, sessionId: checked.id };
    const metadata = await this.codecs.encodeMetadata(checked.metadata, ref);
    const result = await this.call(() => this.driver.restoreSession({ userId: user, snapshot: { ...checked, metadata }, now }));
    this.unwrap(result, ref);
  }

  async restoreMessages(userId: string, sessionId: string, messages: StoredMessage<M>[]): Promise<void> {
    this.open();
    const ref = this.ref(userId, sessionId);
    const batch = await this.restore.batch(messages);
    this.open();
    this.checkBatch(batch);
    const texts = await this.codecs.encode(batch.encoded, ref);
    const entries = texts.map((text, i) => ({ seq: batch.seqs[i]!, createdAt: batch.createdAt[i]!, text }));
    const result = await this.call(() => this.driver.restoreMessages({ ...ref, entries, now: this.now() }), true);
    if (isDriverFailure(result) && result.failure === 'out_of_bounds') {
      this.restore.bounds(batch, result.highestHeld, result.lastSeq);
      throw this.errors.invalid(`restored seqs do not fit the session (highest held ${result.highestHeld}, lastSeq ${result.lastSeq})`);
    }
    this.unwrap(result, ref);
  }

  async purgeExpired(options: PurgeExpiredOptions = {}): Promise<number> {
    this.open();
    const batchSize = this.guard.batchSize(options.batchSize);
    return this.call(() => this.driver.purgeExpired({ batchSize, now: this.now() }));
  }

  watch(userId: string, sessionId: string, options: WatchOptions = {}): AsyncIterable<SessionChange<M>> {
    this.open();
    const ref = this.ref(userId, sessionId);
    if (typeof options !== 'object' || options === null) throw this.errors.invalid('watch options must be an object { afterSeq?, pollIntervalMs?, signal? }');
    const afterSeq = this.guard.seq(options.afterSeq, 'afterSeq') ?? 0;
    const poll = this.guard.seq(options.pollIntervalMs, 'pollIntervalMs');
    if (poll === 0) throw this.errors.invalid('pollIntervalMs must be at least 1');
    const context = {
      driver: this.driver,
      readPageSize: this.readPageSize,
      now: () => this.now(),
      open: () => this.open(),
      call: <T>(run: () => Promise<T>) => this.call(run),
      decode: (entries: StoredEntry[], at: { userId: string; sessionId: string }) => this.decode(entries, at),
      info: (session: SessionInfo) => this.info(session),
    };
    return watchSession<M>(context, ref, afterSeq, poll, options.signal);
  }

  session(userId: string, sessionId: string): StoreSession<M> {
    const ref = this.ref(userId, sessionId);
    return storeSession(this, ref.userId, ref.sessionId);
  }

  async setup(): Promise<void> {
    this.open();
    const setup = this.driver.setup?.bind(this.driver);
    if (setup) await this.call(setup);
  }

  async health(): Promise<HealthStatus> {
    if (this.closed) return { ok: false, latencyMs: 0, detail: 'the store is closed' };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.healthTimeoutMs} ms`)), this.healthTimeoutMs);
    });
    try {
      await Promise.race([this.driver.ping(), timeout]);
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, latencyMs: Math.round((performance.now() - started) * 100) / 100, detail };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.call(() => this.driver.close());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Runs one driver call, turning anything it throws into a `SessionStoreError`. */
  protected async call<T>(run: () => Promise<T>, write = false): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.mapError(error, write);
    }
  }

  private mapError(error: unknown, write = false): SessionStoreError {
    if (isSessionStoreError(error)) return error;
    const known = this.driver.classifyError?.(error);
    if (known) return this.errors.make(known.code, known.message, error);
    const reason = error instanceof Error ? error.message : String(error);
    const advice = write
      ? 'the write may or may not have been applied: retry it with the same idempotencyKey (a write without one may then be applied twice)'
      : 'the call may be retried';
    return this.errors.unavailable(`the ${this.backend} server could not be reached or failed: ${reason}; ${advice}`, error);
  }

  /** The result, or the contract's error for a driver failure. */
  private unwrap<T>(result: T | DriverFailure, ref: { userId: string; sessionId: string }, expectedLastSeq?: number, targetId?: string): T {
    if (!isDriverFailure(result)) return result;
    switch (result.failure) {
      case 'not_found':
        throw this.errors.notFound(ref.userId, ref.sessionId);
      case 'already_exists':
        throw this.errors.alreadyExists(ref.userId, targetId ?? ref.sessionId);
      case 'conflict':
        throw this.errors.conflict(expectedLastSeq ?? -1, result.lastSeq);
      case 'metadata_too_large':
        throw this.errors.tooLarge(`metadata would be ${result.bytes} bytes encoded; the limit is ${MAX_METADATA_BYTES}`);
      case 'out_of_bounds':
        throw this.errors.invalid(`restored seqs do not fit the session (highest held ${result.highestHeld}, lastSeq ${result.lastSeq})`);
    }
  }

  private ref(userId: string, sessionId: string): { userId: string; sessionId: string } {
    return { userId: this.guard.userId(userId), sessionId: this.guard.sessionId(sessionId) };
  }

  private checkBatch(batch: PreparedBatch<M>): void {
    if (batch.encoded.length > this.maxBatchMessages) {
      throw this.errors.tooLarge(`one write carries ${batch.encoded.length} messages; the limit is ${this.maxBatchMessages} (option maxBatchMessages): split it into several calls`);
    }
    if (batch.totalBytes > this.maxBatchBytes) {
      throw this.errors.tooLarge(`one write carries ${batch.totalBytes} bytes of messages; the limit is ${this.maxBatchBytes} (option maxBatchBytes): split it into several calls`);
    }
  }

  private sortedRewrites(rewrites: MessageRewrite<M>[]): MessageRewrite<M>[] {
    const seen = new Set<number>();
    for (const [i, item] of rewrites.entries()) {
      if (typeof item !== 'object' || item === null) throw this.errors.invalid(`rewrite ${i} must be an object { seq, message }`);
      const seq = item.seq;
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) throw this.errors.invalid(`rewrite ${i} has seq ${String(seq)}; seqs are positive integers`);
      if (seen.has(seq)) throw this.errors.invalid(`rewrite ${i} repeats seq ${seq}; give each seq once`);
      seen.add(seq);
    }
    return [...rewrites].sort((a, b) => a.seq - b.seq);
  }

  /** The limit of the driver's first read: a whole-history read starts with one bounded page. */
  private firstPage(limit: number | undefined): number {
    return limit === undefined ? this.readPageSize : Math.min(limit, this.readPageSize);
  }

  /** Completes a session's newest entries read with {@link firstPage} up to `limit` (all when absent), a bounded page at a time. */
  private async completeTail(ref: { userId: string; sessionId: string }, entries: StoredEntry[], limit: number | undefined, now: number): Promise<StoredEntry[]> {
    const want = limit ?? Number.POSITIVE_INFINITY;
    const first = entries[0];
    if (entries.length < this.readPageSize || entries.length >= want || !first) return entries;
    const older = await this.readBackward(ref, undefined, first.seq, want - entries.length, now);
    return older.length === 0 ? entries : older.concat(entries);
  }

  /** The newest `limit` entries of the range (all when infinite), read newest page first. */
  private async readBackward(
    ref: { userId: string; sessionId: string },
    afterSeq: number | undefined,
    beforeSeq: number | undefined,
    limit: number,
    now: number,
  ): Promise<StoredEntry[]> {
    const pages: StoredEntry[][] = [];
    let remaining = limit;
    let before = beforeSeq;
    while (remaining > 0) {
      const size = Math.min(remaining, this.readPageSize);
      const page = await this.call(() => this.driver.read({ ...ref, afterSeq, beforeSeq: before, limit: size, from: 'end', now }));
      if (page.length > 0) pages.push(page);
      remaining -= page.length;
      if (page.length < size) break;
      before = page[0]!.seq;
    }
    return pages.length === 1 ? pages[0]! : pages.reverse().flat();
  }

  /** The oldest `limit` entries of the range (all when absent), read oldest page first. */
  private async readForward(
    ref: { userId: string; sessionId: string },
    afterSeq: number | undefined,
    beforeSeq: number | undefined,
    limit: number | undefined,
    now: number,
  ): Promise<StoredEntry[]> {
    const pages: StoredEntry[][] = [];
    let remaining = limit ?? Number.POSITIVE_INFINITY;
    let after = afterSeq;
    while (remaining > 0) {
      const size = Math.min(remaining, this.readPageSize);
      const page = await this.call(() => this.driver.read({ ...ref, afterSeq: after, beforeSeq, limit: size, from: 'start', now }));
      if (page.length > 0) pages.push(page);
      remaining -= page.length;
      if (page.length < size) break;
      after = page[page.length - 1]!.seq;
    }
    return pages.length === 1 ? pages[0]! : pages.flat();
  }

  /** Re-encodes a new fork's stored metadata (copied from the source) for the fork's own session. */
  private async rebindForkMetadata(from: { userId: string; sessionId: string }, to: { userId: string; sessionId: string }, info: SessionInfo): Promise<SessionInfo> {
    const rebound = await this.codecs.rebindMetadata(info.metadata, from, to);
    const result = await this.call(() => this.driver.update({ ...to, patch: rebound, ttlMs: undefined, maxMetadataBytes: MAX_METADATA_BYTES, now: this.now() }), true);
    return this.unwrap(result, to);
  }

  /** Re-encodes a new fork's entries for the fork's own session, a bounded page at a time. */
  private async rebindFork(from: { userId: string; sessionId: string }, to: { userId: string; sessionId: string }, lastSeq: number): Promise<void> {
    let afterSeq = 0;
    while (afterSeq < lastSeq) {
      const size = Math.min(this.readPageSize, this.maxRewriteBatch);
      const page = await this.call(() => this.driver.read({ ...to, afterSeq, beforeSeq: lastSeq + 1, limit: size, from: 'start', now: this.now() }));
      const last = page[page.length - 1];
      if (!last) return;
      const rebound = await this.codecs.rebind(page, from, to);
      const entries = rebound.map((entry) => ({ seq: entry.seq, text: entry.text }));
      await this.call(() => this.driver.rewrite({ ...to, entries, expectedLastSeq: undefined, now: this.now() }));
      afterSeq = last.seq;
    }
  }

  private async decode(entries: StoredEntry[], ref: { userId: string; sessionId: string }): Promise<StoredMessage<M>[]> {
    const decoded = this.codecs.empty ? entries : await this.codecs.decode(entries, ref);
    const result = new Array<StoredMessage<M>>(decoded.length);
    for (let i = 0; i < decoded.length; i++) {
      const entry = decoded[i]!;
      result[i] = { seq: entry.seq, createdAt: new Date(entry.createdAt), message: this.parse(entry, ref) };
    }
    return result;
  }

  private parse(entry: StoredEntry, ref: { userId: string; sessionId: string }): M {
    try {
      return JSON.parse(entry.text) as M;
    } catch (error) {
      throw this.errors.make(
        'UNAVAILABLE',
        `message seq ${entry.seq} of session ${JSON.stringify(ref.sessionId)} of user ${JSON.stringify(ref.userId)} is not valid JSON as stored; was it written by another program, or through a codec this store lacks?`,
        error,
      );
    }
  }

  private async info(info: SessionInfo): Promise<SessionInfo> {
    if (!this.codecs.hasMetadata) return info;
    return { ...info, metadata: await this.codecs.decodeMetadata(info.metadata, { userId: info.userId, sessionId: info.id }) };
  }

  private ttlOrDefault(ttlMs: number | null | undefined): number | null {
    return ttlMs === undefined ? this.defaultTtlMs : ttlMs;
  }

  private positive(value: number | undefined, fallback: number, name: string): number {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value <= 0) throw this.errors.invalid(`${name} must be a positive integer, got ${String(value)}`);
    return value;
  }

  protected now(): number {
    return Math.floor(this.clock());
  }

  protected open(): void {
    if (this.closed) throw this.errors.closed();
  }
}

/** The one store over `driver`: what a backend's `fromUrl` or a custom driver's user calls. */
export function createStore<M extends JsonObject = JsonObject>(driver: SessionDriver, options: StoreOptions<M> = {}): SessionStore<M> {
  return new DriverSessionStore<M>(driver, options);
}
