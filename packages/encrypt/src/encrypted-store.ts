import {
  InputGuard,
  isPlainObject,
  storeErrors,
  systemClock,
  type AppendOptions,
  type AppendResult,
  type Clock,
  type CreateSessionOptions,
  type ForkSessionOptions,
  type GetMessagesOptions,
  type GetOrCreateSessionOptions,
  type GetSessionOptions,
  type HealthStatus,
  type JsonObject,
  type ListSessionsOptions,
  type Page,
  type PurgeExpiredOptions,
  type Session,
  type SessionInfo,
  type SessionSnapshot,
  type SessionStore,
  type StoreErrors,
  type StoredMessage,
  type UpdateSessionOptions,
} from '@sessions/core';
import { Codec } from './codec.js';
import { forkEncrypted } from './fork.js';
import { JOURNAL_USER_ID } from './journal.js';
import { Keyring } from './keyring.js';
import { MessageTtl } from './message-ttl.js';
import type { EncryptStoreOptions } from './options.js';
import { purgeExpiredMessages, reencryptSession, reencryptUser, type RewriteOptions, type RewriteReport } from './reencrypt.js';
import { SessionKeys } from './session-keys.js';

const DEFAULT_KEY_CACHE_SIZE = 10_000;

/**
 * A {@link SessionStore} that encrypts every message (and, when asked, metadata values) with
 * AES-256-GCM before it reaches the inner store, and decrypts on the way out. Same contract as
 * any store; build it with {@link encryptStore}. `close()` closes the inner store too.
 */
export class EncryptedSessionStore<M extends JsonObject = JsonObject> implements SessionStore<M> {
  /** The inner store's backend name: errors keep the `[sessions] [<backend>]` prefix of the store they come from. */
  readonly backend: string;
  /** The store holding the envelopes. */
  readonly inner: SessionStore<JsonObject>;
  /** The master keys, by id. */
  readonly keyring: Keyring;
  /** @internal The seal/open layer, shared with re-encryption. */
  readonly codec: Codec;
  /** @internal */
  readonly guard: InputGuard<M>;
  /** @internal */
  readonly errors: StoreErrors;
  /** @internal */
  readonly clock: Clock;
  /** @internal Hides and finds messages older than `messageTtlMs`. */
  readonly messageTtl: MessageTtl;
  private closed = false;

  constructor(inner: SessionStore<JsonObject>, options: EncryptStoreOptions<M>) {
    const errors = storeErrors('encrypt');
    if (typeof inner !== 'object' || inner === null || typeof inner.append !== 'function') {
      throw errors.invalid('encryptStore needs a SessionStore to wrap as its first argument');
    }
    if (typeof options !== 'object' || options === null) throw errors.invalid('encryptStore needs options { keys, currentKeyId }');
    this.inner = inner;
    this.backend = inner.backend;
    this.errors = storeErrors(inner.backend);
    this.keyring = options.keys instanceof Keyring ? options.keys : new Keyring({ keys: options.keys, currentKeyId: options.currentKeyId ?? '' });
    const cacheSize = options.keyCacheSize ?? DEFAULT_KEY_CACHE_SIZE;
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) throw errors.invalid(`keyCacheSize must be a positive integer, got ${String(cacheSize)}`);
    const policy = options.onDecryptError ?? 'throw';
    if (policy !== 'throw' && policy !== 'skip') throw errors.invalid(`onDecryptError must be "throw" or "skip", got ${JSON.stringify(policy)}`);
    this.guard = new InputGuard<M>({
      backend: inner.backend,
      ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
      ...(options.messageSchema === undefined ? {} : { messageSchema: options.messageSchema }),
    });
    this.clock = options.clock ?? systemClock;
    this.messageTtl = new MessageTtl(options.messageTtlMs, this.clock, errors);
    this.codec = new Codec({
      keys: new SessionKeys(this.keyring, cacheSize),
      errors: this.errors,
      onDecryptError: policy,
      encryptMetadata: options.encryptMetadata ?? false,
      plaintextMetadataKeys: new Set(options.plaintextMetadataKeys ?? []),
    });
  }

  async createSession(userId: string, options: CreateSessionOptions = {}): Promise<SessionInfo> {
    this.ensureOpen();
    const user = this.guard.userId(userId);
    const id = this.guard.newSessionId(options?.sessionId);
    const metadata = this.codec.sealMetadata(user, id, this.guard.metadata(options?.metadata));
    const info = await this.inner.createSession(user, { ...options, sessionId: id, metadata });
    return this.codec.openInfo(info);
  }

  async getSession(userId: string, sessionId: string, options?: GetSessionOptions): Promise<Session<M> | null> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    const session = await this.inner.getSession(user, id, options);
    return session && this.openSession(session);
  }

  async getOrCreateSession(userId: string, sessionId: string, options: GetOrCreateSessionOptions = {}): Promise<Session<M> & { created: boolean }> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    const metadata = this.codec.sealMetadata(user, id, this.guard.metadata(options?.metadata));
    const session = await this.inner.getOrCreateSession(user, id, { ...options, metadata });
    return this.openSession(session);
  }

  async listSessions(userId: string, options?: ListSessionsOptions): Promise<Page<SessionInfo>> {
    this.ensureOpen();
    const page = await this.inner.listSessions(this.guard.userId(userId), options);
    return { items: page.items.map((info) => this.codec.openInfo(info)), nextCursor: page.nextCursor };
  }

  async updateSession(userId: string, sessionId: string, options: UpdateSessionOptions): Promise<SessionInfo> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    if (typeof options !== 'object' || options === null) throw this.errors.invalid('updateSession needs an options object { metadata?, ttlMs? }');
    let forward = options;
    if (options.metadata !== undefined) {
      forward = { ...options, metadata: this.codec.sealMetadata(user, id, this.guard.metadataPatch(options.metadata)) };
    }
    return this.codec.openInfo(await this.inner.updateSession(user, id, forward));
  }

  async deleteSession(userId: string, sessionId: string): Promise<boolean> {
    this.ensureOpen();
    return this.inner.deleteSession(userId, sessionId);
  }

  async deleteUser(userId: string): Promise<number> {
    this.ensureOpen();
    return this.inner.deleteUser(userId);
  }

  async append(userId: string, sessionId: string, messages: M | M[], options?: AppendOptions): Promise<AppendResult> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    const batch = await this.guard.messages(messages);
    const sealed = batch.encoded.map((text) => this.codec.sealMessage(user, id, text));
    return this.inner.append(user, id, sealed, options);
  }

  async getMessages(userId: string, sessionId: string, options: GetMessagesOptions = {}): Promise<StoredMessage<M>[]> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    const stored = await this.messageTtl.read(this.inner, user, id, options);
    return this.codec.openMessages<M>(user, id, stored);
  }

  async popMessage(userId: string, sessionId: string): Promise<StoredMessage<M> | null> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    for (;;) {
      const popped = await this.inner.popMessage(user, id);
      // The newest message expired means every message has: none is visible.
      if (popped === null || this.messageTtl.isExpired(popped)) return null;
      const opened = this.codec.openMessage<M>(user, id, popped);
      // With onDecryptError "skip" an unreadable message counts as absent: it is gone, pop the next one.
      if (opened) return opened;
    }
  }

  async clearSession(userId: string, sessionId: string): Promise<void> {
    this.ensureOpen();
    return this.inner.clearSession(userId, sessionId);
  }

  async forkSession(userId: string, sessionId: string, options: ForkSessionOptions = {}): Promise<SessionInfo> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    return forkEncrypted(this, user, id, options ?? {});
  }

  async *listUsers(): AsyncIterable<string> {
    this.ensureOpen();
    for await (const user of this.inner.listUsers()) {
      if (user !== JOURNAL_USER_ID) yield user;
    }
  }

  async restoreSession(userId: string, snapshot: SessionSnapshot): Promise<void> {
    this.ensureOpen();
    const user = this.guard.userId(userId);
    if (!isPlainObject(snapshot)) return this.inner.restoreSession(user, snapshot);
    const id = this.guard.sessionId(snapshot.id);
    const metadata = this.codec.sealMetadata(user, id, this.guard.metadata(snapshot.metadata ?? {}));
    return this.inner.restoreSession(user, { ...snapshot, id, metadata });
  }

  async restoreMessages(userId: string, sessionId: string, messages: StoredMessage<M>[]): Promise<void> {
    this.ensureOpen();
    const [user, id] = this.ids(userId, sessionId);
    // Malformed batches go to the inner store as they are: its checks give the contract's errors.
    if (!Array.isArray(messages) || messages.length === 0 || !messages.every((item) => isPlainObject(item))) {
      return this.inner.restoreMessages(user, id, messages as unknown as StoredMessage[]);
    }
    const batch = await this.guard.messages(messages.map((item) => item.message));
    const sealed = messages.map((item, i) => ({ seq: item.seq, createdAt: item.createdAt, message: this.codec.sealMessage(user, id, batch.encoded[i]!) }));
    return this.inner.restoreMessages(user, id, sealed);
  }

  async purgeExpired(options?: PurgeExpiredOptions): Promise<number> {
    this.ensureOpen();
    return this.inner.purgeExpired(options);
  }

  /**
   * Re-encrypts one session's messages and metadata under the keyring's current key, keeping
   * seqs and `createdAt`; appends that land meanwhile are kept. Safe to re-run after an
   * interruption (it finishes the interrupted run first). See the README's "Key rotation".
   */
  reencryptSession(userId: string, sessionId: string, options?: RewriteOptions): Promise<RewriteReport> {
    return reencryptSession(this, userId, sessionId, options);
  }

  /** {@link reencryptSession} for every session of a user. */
  reencryptUser(userId: string, options?: RewriteOptions): Promise<RewriteReport> {
    return reencryptUser(this, userId, options);
  }

  /**
   * Removes messages older than `messageTtlMs` (already hidden from reads) from every session,
   * or from one user's with `userId`, keeping seqs. Run it periodically, like `purgeExpired`.
   */
  purgeExpiredMessages(options?: RewriteOptions & { userId?: string }): Promise<RewriteReport> {
    return purgeExpiredMessages(this, options);
  }

  health(): Promise<HealthStatus> {
    if (this.closed) return Promise.resolve({ ok: false, latencyMs: 0, detail: 'the store is closed' });
    return this.inner.health();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inner.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal Throws `CLOSED` after `close()`, before any other check (the contract's order). */
  ensureOpen(): void {
    if (this.closed) throw this.errors.closed();
  }

  private ids(userId: string, sessionId: string): [string, string] {
    return [this.guard.userId(userId), this.guard.sessionId(sessionId)];
  }

  private openSession<T extends Session>(session: T): T & Session<M> {
    // Expired messages are dropped before decryption: they are never shown, so never opened.
    const live = { ...session, messages: this.messageTtl.filter(session.messages) };
    return this.codec.openSession<M, T>(live) as unknown as T & Session<M>;
  }
}
