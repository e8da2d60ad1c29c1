import type { StoreSession } from './store/store-session.js';
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
  TrimSessionOptions,
  SessionChange,
  WatchOptions,
  Session,
  SessionInfo,
  SessionSnapshot,
  StoredMessage,
  UpdateSessionOptions,
} from './types.js';

/**
 * The contract every backend keeps (see docs/contract.md). Every call names the user; a
 * session is found only under its own user. Every failure is a `SessionStoreError`.
 *
 * @typeParam M - the message type; a store typed by a Standard Schema validates it on append.
 */
export interface SessionStore<M extends JsonObject = JsonObject> extends AsyncDisposable {
  /** The backend's short name (`"memory"`, `"redis"`, `"postgres"`, ...), used in error messages. */
  readonly backend: string;

  /** Creates a session. `ALREADY_EXISTS` if the user has one with that id. */
  createSession(userId: string, options?: CreateSessionOptions): Promise<SessionInfo>;

  /** The session with its newest `limit` messages (all when absent), or `null`. Never creates. */
  getSession(userId: string, sessionId: string, options?: GetSessionOptions): Promise<Session<M> | null>;

  /**
   * Reads the session (with its newest `limit` messages), or creates it with `options` when
   * absent, atomically: two concurrent calls never both create. `created` says which happened.
   */
  getOrCreateSession(
    userId: string,
    sessionId: string,
    options?: GetOrCreateSessionOptions,
  ): Promise<Session<M> & { created: boolean }>;

  /** The user's sessions, newest `updatedAt` first (ties by id), keyset-paginated. */
  listSessions(userId: string, options?: ListSessionsOptions): Promise<Page<SessionInfo>>;

  /** Merges metadata (a `null` value removes a key) and/or resets the TTL. `NOT_FOUND` if absent. */
  updateSession(userId: string, sessionId: string, options: UpdateSessionOptions): Promise<SessionInfo>;

  /** Deletes the session, its messages and every index entry. `true` if it existed. */
  deleteSession(userId: string, sessionId: string): Promise<boolean>;

  /** Deletes every session of the user; returns how many. */
  deleteUser(userId: string): Promise<number>;

  /**
   * Appends one message or a batch atomically, with contiguous seqs. Creates the session
   * unless `create: false` (then `NOT_FOUND`).
   */
  append(userId: string, sessionId: string, messages: M | M[], options?: AppendOptions): Promise<AppendResult>;

  /** Messages in chronological order; with `limit`, the newest `limit` of the range. `[]` for a missing session. */
  getMessages(userId: string, sessionId: string, options?: GetMessagesOptions): Promise<StoredMessage<M>[]>;

  /** Removes and returns the newest message, or `null` when there is none. Atomic. */
  popMessage(userId: string, sessionId: string): Promise<StoredMessage<M> | null>;

  /** Removes every message; keeps the session, its metadata and its `lastSeq`. A no-op for a missing session. */
  clearSession(userId: string, sessionId: string): Promise<void>;

  /** Copies the session (messages up to `uptoSeq`, with their seqs) into a new session of the same user. */
  forkSession(userId: string, sessionId: string, options?: ForkSessionOptions): Promise<SessionInfo>;

  /**
   * Every user that has at least one session, each exactly once, in no particular order. An
   * administrative call (export, copy, stats): it may scan the backend.
   */
  listUsers(): AsyncIterable<string>;

  /**
   * Creates a session exactly as `snapshot` describes it (timestamps, metadata, `lastSeq`), with
   * no messages, for import and copy between stores. `ALREADY_EXISTS` if the user has it; an
   * expired snapshot is `INVALID_ARGUMENT`.
   */
  restoreSession(userId: string, snapshot: SessionSnapshot): Promise<void>;

  /**
   * Writes messages with their own seqs and `createdAt` into a restored session, atomically per
   * call. Seqs must be strictly increasing, above every seq the session holds, and at most its
   * `lastSeq`; otherwise `INVALID_ARGUMENT`. Does not change `lastSeq`, `updatedAt` or expiry.
   * `NOT_FOUND` if the session does not exist.
   */
  restoreMessages(userId: string, sessionId: string, messages: StoredMessage<M>[]): Promise<void>;

  /**
   * Removes every message with a seq above `afterSeq` and appends `messages` with new seqs, in
   * one atomic step: `afterSeq: 0` replaces the whole history (compaction), `messages: []`
   * truncates. Seqs are never reused. `expectedLastSeq` and `idempotencyKey` behave exactly as
   * for {@link SessionStore.append} (one key space for both).
   */
  replaceTail(userId: string, sessionId: string, input: ReplaceTailInput<M>, options?: ReplaceTailOptions): Promise<ReplaceTailResult>;

  /** Removes every message with a seq below `beforeSeq` (retention); returns how many. `0` for a missing session. */
  trimSession(userId: string, sessionId: string, options: TrimSessionOptions): Promise<number>;

  /**
   * Replaces the content of existing messages in place, keeping their seqs and `createdAt`,
   * atomically per call (re-encryption, redaction). A seq the session no longer holds is
   * reported in `missing`, never written. `NOT_FOUND` for a missing session.
   */
  rewriteMessages(
    userId: string,
    sessionId: string,
    rewrites: MessageRewrite<M>[],
    options?: RewriteMessagesOptions,
  ): Promise<RewriteMessagesResult>;

  /** The whole history (or what follows `afterSeq`), oldest first, read in bounded pages. */
  readHistory(userId: string, sessionId: string, options?: ReadHistoryOptions): AsyncIterable<StoredMessage<M>>;

  /**
   * Follows a session as it changes: an async iterable of {@link SessionChange}s, from any
   * writer in any process. Changes are read from the store when asked for (a slow reader never
   * makes the store buffer); leaving the loop (or aborting `signal`) releases everything.
   */
  watch(userId: string, sessionId: string, options?: WatchOptions): AsyncIterable<SessionChange<M>>;

  /** A handle on one session, so the two ids are given once and cannot be swapped by mistake. */
  session(userId: string, sessionId: string): StoreSession<M>;

  /** Creates what the backend needs on its server (tables, indexes, migrations). Safe to re-run; never run implicitly. */
  setup(): Promise<void>;

  /** Deletes expired sessions (for backends whose native expiry is lazy or absent); returns how many. */
  purgeExpired(options?: PurgeExpiredOptions): Promise<number>;

  /** Round-trips to the backend. Never throws. */
  health(): Promise<HealthStatus>;

  /** Releases what the store opened itself; a client passed in by the caller is left open. Idempotent. */
  close(): Promise<void>;
}
