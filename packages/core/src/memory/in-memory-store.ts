import { systemClock, type Clock } from '../clock.js';
import type { StoreErrors } from '../errors.js';
import { InputGuard } from '../input-guard.js';
import { forkMetadata, mergeMetadata } from '../metadata.js';
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
  Page,
  PurgeExpiredOptions,
  Session,
  SessionInfo,
  SessionSnapshot,
  StoredMessage,
  UpdateSessionOptions,
} from '../types.js';
import { MemoryBacking } from './memory-backing.js';
import type { InMemorySessionStoreOptions } from './options.js';
import { listPage } from './list-page.js';
import { indexAfter, selectRange } from './seq-range.js';
import {
  highestHeldSeq,
  isLive,
  newSessionState,
  restoredEntries,
  restoredSessionState,
  toSessionInfo,
  toStoredMessage,
  toStoredMessages,
  touch,
  type SessionState,
} from './session-state.js';

/** The backend name in this store's error messages. */
export const MEMORY_BACKEND = 'memory';

/**
 * A `SessionStore` held in process memory: for tests, development, and single-process apps
 * that do not need the history to survive a restart. It keeps every rule of the contract
 * (atomic appends, idempotency keys, compare-and-append, TTL, keyset listing). Messages are
 * stored as their JSON text, so nothing a caller holds can change stored history.
 */
export class InMemorySessionStore<M extends JsonObject = JsonObject> implements SessionStore<M> {
  readonly backend = MEMORY_BACKEND;
  private readonly guard: InputGuard<M>;
  private readonly restore: RestoreGuard<M>;
  private readonly errors: StoreErrors;
  private readonly clock: Clock;
  private readonly defaultTtlMs: number | null;
  private readonly data: MemoryBacking;
  private readonly ownsData: boolean;
  private closed = false;

  constructor(options: InMemorySessionStoreOptions<M> = {}) {
    this.guard = new InputGuard<M>({
      backend: MEMORY_BACKEND,
      maxMessageBytes: options.maxMessageBytes,
      messageSchema: options.messageSchema,
    });
    this.restore = new RestoreGuard(this.guard);
    this.errors = this.guard.errors;
    this.clock = options.clock ?? systemClock;
    this.defaultTtlMs = this.guard.ttlMs(options.ttlMs) ?? null;
    this.data = options.backing ?? new MemoryBacking();
    this.ownsData = options.backing === undefined;
  }

  async createSession(userId: string, options: CreateSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.newSessionId(options.sessionId);
    const metadata = this.guard.metadata(options.metadata);
    const ttlMs = this.ttlOrDefault(this.guard.ttlMs(options.ttlMs));
    const now = this.now();
    if (this.data.live(user, id, now)) throw this.errors.alreadyExists(user, id);
    const state = newSessionState(user, id, metadata, ttlMs, now);
    this.data.put(state);
    return toSessionInfo(state);
  }

  async getSession(userId: string, sessionId: string, options: GetSessionOptions = {}): Promise<Session<M> | null> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const limit = this.guard.limit(options.limit);
    const state = this.data.live(user, id, this.now());
    return state ? this.withMessages(state, limit) : null;
  }

  async getOrCreateSession(
    userId: string,
    sessionId: string,
    options: GetOrCreateSessionOptions = {},
  ): Promise<Session<M> & { created: boolean }> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const limit = this.guard.limit(options.limit);
    const metadata = this.guard.metadata(options.metadata);
    const ttlMs = this.ttlOrDefault(this.guard.ttlMs(options.ttlMs));
    const now = this.now();
    const existing = this.data.live(user, id, now);
    if (existing) return { ...this.withMessages(existing, limit), created: false };
    const state = newSessionState(user, id, metadata, ttlMs, now);
    this.data.put(state);
    return { ...this.withMessages(state, limit), created: true };
  }

  async listSessions(userId: string, options: ListSessionsOptions = {}): Promise<Page<SessionInfo>> {
    this.open();
    const user = this.guard.userId(userId);
    const limit = this.guard.listLimit(options.limit);
    const cursor = this.guard.cursor(options.cursor);
    return listPage(this.data.sessionsOf(user), cursor, limit, this.now());
  }

  async updateSession(userId: string, sessionId: string, options: UpdateSessionOptions): Promise<SessionInfo> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    if (typeof options !== 'object' || options === null) throw this.errors.invalid('updateSession needs an options object { metadata?, ttlMs? }');
    const patch = options.metadata === undefined ? undefined : this.guard.metadataPatch(options.metadata);
    const ttlMs = this.guard.ttlMs(options.ttlMs);
    const now = this.now();
    const state = this.data.live(user, id, now);
    if (!state) throw this.errors.notFound(user, id);
    if (patch) {
      const merged = mergeMetadata(JSON.parse(state.metadataText) as JsonObject, patch);
      state.metadataText = this.guard.metadataSize(merged);
    }
    if (ttlMs !== undefined) state.ttlMs = ttlMs;
    touch(state, now);
    return toSessionInfo(state);
  }

  async deleteSession(userId: string, sessionId: string): Promise<boolean> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const existed = this.data.live(user, id, this.now()) !== undefined;
    this.data.remove(user, id);
    return existed;
  }

  async deleteUser(userId: string): Promise<number> {
    this.open();
    return this.data.removeUser(this.guard.userId(userId), this.now());
  }

  async append(userId: string, sessionId: string, messages: M | M[], options: AppendOptions = {}): Promise<AppendResult> {
    this.open();
    const { userId: user, sessionId: id, expectedLastSeq, idempotencyKey: key, create, batch } = await this.guard.append(userId, sessionId, messages, options);
    // Everything from here on is synchronous: no other call can interleave with the write.
    this.open();
    const now = this.now();
    let state = this.data.live(user, id, now);
    const applied = key === undefined ? undefined : state?.idempotency.get(key);
    if (applied) return { ...applied, duplicate: true };
    const lastSeq = state?.lastSeq ?? 0;
    if (expectedLastSeq !== undefined && expectedLastSeq !== lastSeq) throw this.errors.conflict(expectedLastSeq, lastSeq);
    if (!state) {
      if (!create) throw this.errors.notFound(user, id);
      state = newSessionState(user, id, {}, this.defaultTtlMs, now);
      this.data.put(state);
    }
    for (const [i, text] of batch.encoded.entries()) state.messages.push({ seq: lastSeq + 1 + i, createdAt: now, text });
    state.lastSeq = lastSeq + batch.encoded.length;
    touch(state, now);
    const result: AppendResult = { firstSeq: lastSeq + 1, lastSeq: state.lastSeq, duplicate: false };
    if (key !== undefined) state.idempotency.set(key, result);
    return { ...result };
  }

  async getMessages(userId: string, sessionId: string, options: GetMessagesOptions = {}): Promise<StoredMessage<M>[]> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const limit = this.guard.limit(options.limit);
    const afterSeq = this.guard.seq(options.afterSeq, 'afterSeq');
    const beforeSeq = this.guard.seq(options.beforeSeq, 'beforeSeq');
    const from = this.guard.readFrom(options.from);
    const state = this.data.live(user, id, this.now());
    if (!state) return [];
    const [start, end] = selectRange(state.messages, { afterSeq, beforeSeq, limit, from });
    return toStoredMessages<M>(state, start, end);
  }

  async popMessage(userId: string, sessionId: string): Promise<StoredMessage<M> | null> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const now = this.now();
    const state = this.data.live(user, id, now);
    const entry = state?.messages.pop();
    if (!state || !entry) return null;
    touch(state, now);
    return toStoredMessage<M>(entry);
  }

  async clearSession(userId: string, sessionId: string): Promise<void> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const now = this.now();
    const state = this.data.live(user, id, now);
    if (!state) return;
    state.messages = [];
    touch(state, now);
  }

  async forkSession(userId: string, sessionId: string, options: ForkSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const newId = this.guard.newSessionId(options.newSessionId);
    const uptoSeq = this.guard.seq(options.uptoSeq, 'uptoSeq');
    const patch = options.metadata === undefined ? undefined : this.guard.metadataPatch(options.metadata);
    const now = this.now();
    const source = this.data.live(user, id, now);
    if (!source) throw this.errors.notFound(user, id);
    if (this.data.live(user, newId, now)) throw this.errors.alreadyExists(user, newId);
    const upto = Math.min(uptoSeq ?? source.lastSeq, source.lastSeq);
    const metadata = forkMetadata(JSON.parse(source.metadataText) as JsonObject, id, upto, patch);
    const metadataText = this.guard.metadataSize(metadata);
    const fork = newSessionState(user, newId, {}, source.ttlMs, now);
    fork.metadataText = metadataText;
    fork.lastSeq = upto;
    // Entries are immutable, so the fork shares them with its source.
    fork.messages = source.messages.slice(0, indexAfter(source.messages, upto));
    this.data.put(fork);
    return toSessionInfo(fork);
  }

  async *listUsers(): AsyncIterable<string> {
    this.open();
    for (const userId of this.data.userIds()) {
      this.open();
      const now = this.now();
      if (this.data.sessionsOf(userId).some((state) => isLive(state, now))) yield userId;
    }
  }

  async restoreSession(userId: string, snapshot: SessionSnapshot): Promise<void> {
    this.open();
    const user = this.guard.userId(userId);
    const now = this.now();
    const checked = this.restore.snapshot(snapshot, now);
    if (this.data.live(user, checked.id, now)) throw this.errors.alreadyExists(user, checked.id);
    const state = restoredSessionState(user, checked);
    this.data.put(state);
  }

  async restoreMessages(userId: string, sessionId: string, messages: StoredMessage<M>[]): Promise<void> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const batch = await this.restore.batch(messages);
    this.open();
    const state = this.data.live(user, id, this.now());
    if (!state) throw this.errors.notFound(user, id);
    this.restore.bounds(batch, highestHeldSeq(state), state.lastSeq);
    for (const entry of restoredEntries(batch)) state.messages.push(entry);
  }

  async purgeExpired(options: PurgeExpiredOptions = {}): Promise<number> {
    this.open();
    this.guard.batchSize(options.batchSize);
    return this.data.removeExpired(this.now());
  }

  async health(): Promise<HealthStatus> {
    if (this.closed) return { ok: false, latencyMs: 0, detail: 'the store is closed' };
    return { ok: true, latencyMs: 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsData) this.data.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private withMessages(state: SessionState, limit: number | undefined): Session<M> {
    const [start, end] = selectRange(state.messages, { limit, from: 'end' });
    return { ...toSessionInfo(state), messages: toStoredMessages<M>(state, start, end) };
  }

  private ttlOrDefault(ttlMs: number | null | undefined): number | null {
    return ttlMs === undefined ? this.defaultTtlMs : ttlMs;
  }

  private now(): number {
    return Math.floor(this.clock());
  }

  private open(): void {
    if (this.closed) throw this.errors.closed();
  }
}
