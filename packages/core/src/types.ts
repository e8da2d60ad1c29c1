/** Any value JSON can hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object: the shape of every message and of session metadata. */
export type JsonObject = { [key: string]: Json };

/** A session without its messages. */
export interface SessionInfo {
  /** The owner of the session. */
  userId: string;
  /** The session id, unique per user. */
  id: string;
  /** Free-form metadata; `{}` when none. */
  metadata: JsonObject;
  createdAt: Date;
  /** Bumped by every write to the session (append, pop, clear, update). */
  updatedAt: Date;
  /** When the session expires; `null` means never. Every write slides it. */
  expiresAt: Date | null;
  /** How many messages the session holds now. */
  messageCount: number;
  /** The highest seq ever assigned in this session (0 for none); never goes down. */
  lastSeq: number;
}

/** A session with (some of) its messages, oldest first. */
export interface Session<M = JsonObject> extends SessionInfo {
  messages: StoredMessage<M>[];
}

/** One message as stored: its store-assigned position, when it was stored, and the message. */
export interface StoredMessage<M = JsonObject> {
  /** The position in the session: 1, 2, 3... strictly increasing, never reused. */
  seq: number;
  createdAt: Date;
  message: M;
}

/** One page of a keyset-paginated listing. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** What an append did. */
export interface AppendResult {
  /** Seq of the first message of the batch. */
  firstSeq: number;
  /** Seq of the last message of the batch (equal to `firstSeq` for one message). */
  lastSeq: number;
  /** `true` when the idempotency key had already been applied: nothing was written. */
  duplicate: boolean;
}

/** Options of {@link SessionStore.createSession} and {@link SessionStore.getOrCreateSession}. */
export interface CreateSessionOptions {
  /** The id to use; a UUID v4 is generated when absent or blank. Surrounding whitespace is trimmed. */
  sessionId?: string;
  /** Initial metadata (a JSON object of at most 64 KiB). Keys whose value is `null` are dropped. */
  metadata?: JsonObject;
  /** Time to live in ms, slid by every write; `null` disables the store's default TTL. */
  ttlMs?: number | null;
}

/** Options of {@link SessionStore.getSession}. */
export interface GetSessionOptions {
  /** Return only the newest `limit` messages (all when absent). */
  limit?: number;
}

/** Options of {@link SessionStore.getOrCreateSession}. */
export interface GetOrCreateSessionOptions extends Omit<CreateSessionOptions, 'sessionId'> {
  /** Return only the newest `limit` messages of an existing session (all when absent). */
  limit?: number;
}

/** Options of {@link SessionStore.listSessions}. */
export interface ListSessionsOptions {
  /** Page size. @default 50 (at most 1000) */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string | null;
}

/** Options of {@link SessionStore.updateSession}. */
export interface UpdateSessionOptions {
  /** Shallow-merged into the current metadata; a key set to `null` is removed. */
  metadata?: JsonObject;
  /** A new TTL in ms, applied from now; `null` makes the session never expire. */
  ttlMs?: number | null;
}

/** Options of {@link SessionStore.append}. */
export interface AppendOptions {
  /** Append only if the session's `lastSeq` still equals this; otherwise `CONFLICT`. A missing session has `lastSeq` 0. */
  expectedLastSeq?: number;
  /** A key for safe retries: an append whose key was already applied to the session returns the first result with `duplicate: true`. */
  idempotencyKey?: string;
  /** Create the session when it does not exist. @default true */
  create?: boolean;
}

/** Options of {@link SessionStore.getMessages}. */
export interface GetMessagesOptions {
  /** Return the newest `limit` messages of the range (all when absent). */
  limit?: number;
  /** Only messages with a seq lower than this. */
  beforeSeq?: number;
  /** Only messages with a seq higher than this. */
  afterSeq?: number;
  /**
   * Which end of the range `limit` counts from: `"end"` gives the newest `limit` messages,
   * `"start"` the oldest (for paging forward with `afterSeq`). Results are always oldest first.
   * @default "end"
   */
  from?: 'start' | 'end';
}

/** Options of {@link SessionStore.forkSession}. */
export interface ForkSessionOptions {
  /** The new session's id; generated when absent. */
  newSessionId?: string;
  /** Copy messages up to and including this seq (all when absent). */
  uptoSeq?: number;
  /** Shallow-merged over the copied metadata (after `forkedFrom` is set). */
  metadata?: JsonObject;
}

/** Options of {@link SessionStore.purgeExpired}. */
export interface PurgeExpiredOptions {
  /** How many sessions to delete per round trip. @default 500 */
  batchSize?: number;
}

/** The answer of {@link SessionStore.health}. */
export interface HealthStatus {
  ok: boolean;
  latencyMs: number;
  detail?: string;
}

/**
 * A session record exactly as another store held it, for {@link SessionStore.restoreSession}
 * (import and copy between stores keep ids, seqs and timestamps).
 */
export interface SessionSnapshot {
  id: string;
  metadata: JsonObject;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  /** The source's `lastSeq`: restored messages must have seqs up to this, and new appends continue after it. */
  lastSeq: number;
}

/** The input of {@link SessionStore.replaceTail}. */
export interface ReplaceTailInput<M = JsonObject> {
  /** Every message with a seq above this is removed; `0` replaces the whole history. */
  afterSeq: number;
  /** Appended after the removal with new seqs (never reused ones); `[]` only truncates. */
  messages: M[];
}

/** Options of {@link SessionStore.replaceTail}: as for append. */
export type ReplaceTailOptions = AppendOptions;

/** What {@link SessionStore.replaceTail} did. With no messages, `firstSeq` is `lastSeq + 1` (an empty range). */
export interface ReplaceTailResult extends AppendResult {
  /** How many messages were removed. */
  removed: number;
}

/** Options of {@link SessionStore.trimSession}. */
export interface TrimSessionOptions {
  /** Every message with a seq below this is removed. */
  beforeSeq: number;
}

/** One message of {@link SessionStore.rewriteMessages}: the new content of the message at `seq`. */
export interface MessageRewrite<M = JsonObject> {
  seq: number;
  message: M;
}

/** Options of {@link SessionStore.rewriteMessages}. */
export interface RewriteMessagesOptions {
  /** Rewrite only if the session's `lastSeq` still equals this; otherwise `CONFLICT`. */
  expectedLastSeq?: number;
}

/** What {@link SessionStore.rewriteMessages} did. */
export interface RewriteMessagesResult {
  /** How many messages were replaced. */
  rewritten: number;
  /** Seqs the session no longer held (popped, cleared, trimmed): reported, never written. */
  missing: number[];
}

/** Options of {@link SessionStore.readHistory}. */
export interface ReadHistoryOptions {
  /** Start after this seq. @default 0 */
  afterSeq?: number;
  /** Messages per server call. @default the store's readPageSize */
  pageSize?: number;
}

/** Options of {@link SessionStore.watch}. */
export interface WatchOptions {
  /** Start after this seq: the first change delivered is the message after it. @default 0 (the whole history first) */
  afterSeq?: number;
  /**
   * How often to re-read without a notification, in ms. Backends that notify (Redis, PostgreSQL,
   * SQLite, memory) use it only as a safety net for lost notifications.
   * @default 1000 without notifications, 5000 with them
   */
  pollIntervalMs?: number;
  /** Stops the watch: the loop ends quietly. */
  signal?: AbortSignal;
}

/**
 * One change of a watched session, in order. Messages come exactly once, in seq order, with no
 * gaps: a watcher that resumes with `afterSeq` set to the last seq it saw gets exactly what it
 * missed (seqs are never reused, so replaced messages come back with new seqs).
 */
export type SessionChange<M = JsonObject> =
  /** Messages appended since the last change (by append or replaceTail). */
  | { type: 'appended'; messages: StoredMessage<M>[] }
  /**
   * The session changed other than by appending: a pop, clear, trim, rewrite, the removal part
   * of a replaceTail, or a metadata/TTL update. `session` is its state now; re-read what you show.
   */
  | { type: 'changed'; session: SessionInfo }
  /** The session was deleted or expired. The watch goes on: a new session with this id starts again at seq 1. */
  | { type: 'deleted' };
