import type { CheckedSnapshot } from '../restore-guard.js';
import type { ListCursor } from '../cursor.js';
import type { JsonObject, SessionInfo } from '../types.js';

/**
 * One message as a driver stores it: its seq, when it was stored (ms since the epoch) and its
 * stored text. The text is what the store's codecs produced (plain JSON text when the store has
 * no codec); a driver stores it and gives it back unchanged, never parsing it.
 */
export interface StoredEntry {
  seq: number;
  createdAt: number;
  text: string;
}

/** A session record with (some of) its newest entries, as a driver reads it. */
export interface SessionWithEntries {
  session: SessionInfo;
  /** Oldest first. */
  entries: StoredEntry[];
}

/**
 * An expected outcome that is not a success, returned (not thrown) by a driver so the store
 * turns it into the contract's error with the right code and message.
 */
export type DriverFailure =
  | { failure: 'not_found' }
  | { failure: 'already_exists' }
  | { failure: 'conflict'; lastSeq: number }
  | { failure: 'metadata_too_large'; bytes: number }
  | { failure: 'out_of_bounds'; highestHeld: number; lastSeq: number };

/** The failure kinds a driver may return. */
export type DriverFailureKind = DriverFailure['failure'];

/** A driver result: `T`, or one of the listed failures. */
export type Outcome<T, K extends DriverFailureKind> = T | Extract<DriverFailure, { failure: K }>;

/** `true` when a driver returned a failure rather than a result. */
export function isDriverFailure(value: unknown): value is DriverFailure {
  return typeof value === 'object' && value !== null && 'failure' in value && typeof (value as { failure: unknown }).failure === 'string';
}

/** Every request carries the ids it is about, already checked and trimmed. */
export interface SessionRef {
  userId: string;
  sessionId: string;
}

/** Every request that depends on time carries the store's clock reading (ms since the epoch). */
export interface At {
  now: number;
}

/** Create a session (fails with `already_exists` when a live one has that id). */
export interface CreateRequest extends SessionRef, At {
  metadata: JsonObject;
  /** The session's TTL (already defaulted by the store); `null` = never expires. */
  ttlMs: number | null;
}

/** Read a session with its newest `limit` entries (all when `undefined`). */
export interface GetRequest extends SessionRef, At {
  limit: number | undefined;
}

/** Read a session, or create it with `metadata` and `ttlMs` when absent, in one atomic step. */
export interface GetOrCreateRequest extends GetRequest {
  metadata: JsonObject;
  ttlMs: number | null;
}

/** Read a range of entries: exclusive seq bounds, then `limit` counted from `from`. */
export interface ReadRequest extends SessionRef, At {
  afterSeq: number | undefined;
  beforeSeq: number | undefined;
  /** A positive integer, or `undefined` for the whole range (the store bounds it before calling). */
  limit: number | undefined;
  from: 'start' | 'end';
}

/** Append entries atomically with contiguous seqs. */
export interface AppendRequest extends SessionRef, At {
  /** The stored texts, in order (at least one). */
  texts: string[];
  /** Sum of the texts' UTF-8 lengths. */
  bytes: number;
  expectedLastSeq: number | undefined;
  idempotencyKey: string | undefined;
  /** Create the session when absent (otherwise `not_found`). */
  create: boolean;
  /** The TTL of a session this append creates (the store default). */
  ttlMs: number | null;
}

/** What an append (or a tail replacement) did. */
export interface AppendOutcome {
  firstSeq: number;
  lastSeq: number;
  duplicate: boolean;
}

/**
 * Remove every entry with seq > `afterSeq` and append `texts` with new seqs, atomically.
 * Idempotency keys and `expectedLastSeq` work exactly as for append (one key space).
 * With no texts and no session, nothing is created.
 */
export interface ReplaceTailRequest extends Omit<AppendRequest, 'texts'> {
  afterSeq: number;
  /** May be empty (a truncation). */
  texts: string[];
}

/** What a tail replacement did. */
export interface ReplaceTailOutcome extends AppendOutcome {
  /** How many entries were removed. */
  removed: number;
}

/** Remove every entry with seq < `beforeSeq`. */
export interface TrimRequest extends SessionRef, At {
  beforeSeq: number;
}

/** Replace the text of existing entries in place, keeping seqs and `createdAt`. */
export interface RewriteRequest extends SessionRef, At {
  /** Strictly increasing seqs. */
  entries: { seq: number; text: string }[];
  expectedLastSeq: number | undefined;
}

/** What a rewrite did: seqs the session no longer held are listed, never written. */
export interface RewriteOutcome {
  rewritten: number;
  missing: number[];
}

/** Merge a metadata patch and/or change the TTL. */
export interface UpdateRequest extends SessionRef, At {
  /** Shallow-merged; a `null` value removes the key. */
  patch: JsonObject | undefined;
  /** `undefined` keeps the TTL; a number or `null` sets it from now. */
  ttlMs: number | null | undefined;
  /** The largest merged metadata, in UTF-8 bytes of its JSON text. */
  maxMetadataBytes: number;
}

/** Copy a session (entries up to `uptoSeq`, with their seqs) into a new session. */
export interface ForkRequest extends SessionRef, At {
  newSessionId: string;
  uptoSeq: number | undefined;
  patch: JsonObject | undefined;
  maxMetadataBytes: number;
}

/** One keyset page of a user's sessions: newest `updatedAt` first, ties by id. */
export interface ListRequest extends At {
  userId: string;
  /** Positive: the driver returns up to `limit + 1` sessions so the store knows whether more follow. */
  limit: number;
  cursor: ListCursor | null;
}

/** Restore a session record exactly as a snapshot describes it, with no messages. */
export interface RestoreSessionRequest extends At {
  userId: string;
  snapshot: CheckedSnapshot;
}

/** Write entries with their own seqs and `createdAt` into a restored session. */
export interface RestoreMessagesRequest extends SessionRef, At {
  /** Strictly increasing seqs; the driver checks them against the session (`out_of_bounds`). */
  entries: StoredEntry[];
}

/**
 * A backend, seen from the one store in core. Every request is already checked (ids, options,
 * sizes), defaulted (TTL) and timed (`now`): a driver only does storage, each method in one
 * atomic step on its server. Expected outcomes that are not successes are returned as a
 * {@link DriverFailure}; anything thrown is a fault, which the store maps through
 * {@link SessionDriver.classifyError} (or reports as `UNAVAILABLE`).
 *
 * A new backend implements this interface and passes `@sessions/conformance`; see
 * docs/writing-a-backend.md.
 */
export interface SessionDriver {
  /** Short backend name for error messages: `[sessions] [<backend>] ...`. */
  readonly backend: string;
  /**
   * The most entries one `rewrite` can change atomically on this backend (DynamoDB: one
   * transaction), when there is such a cap. The store pages its own rewrites (fork re-encoding)
   * by it, and exposes it as `maxRewriteBatch` for callers that rewrite in bulk.
   */
  readonly maxRewriteBatch?: number;

  create(request: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>>;
  get(request: GetRequest): Promise<SessionWithEntries | null>;
  getOrCreate(request: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }>;
  /** Entries of a live session in the range, oldest first; `[]` for a missing session. */
  read(request: ReadRequest): Promise<StoredEntry[]>;
  append(request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>>;
  /** Removes and returns the newest entry; `null` for a missing or empty session. */
  pop(request: SessionRef & At): Promise<StoredEntry | null>;
  /** Removes every entry, keeping the record and `lastSeq`; a no-op for a missing session. */
  clear(request: SessionRef & At): Promise<void>;
  replaceTail(request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>>;
  /** Returns how many entries were removed (0 for a missing session). */
  trim(request: TrimRequest): Promise<number>;
  rewrite(request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>>;
  fork(request: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>>;
  update(request: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>>;
  /** `true` if a live session was deleted. */
  delete(request: SessionRef & At): Promise<boolean>;
  /** Deletes every session of the user; returns how many were live. */
  deleteUser(request: { userId: string } & At): Promise<number>;
  list(request: ListRequest): Promise<SessionInfo[]>;
  /** Every user with a live session, each once. May scan. */
  listUsers(request: At): AsyncIterable<string>;
  restoreSession(request: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>>;
  restoreMessages(request: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>>;
  /** Deletes expired sessions in rounds of `batchSize`; returns how many. */
  purgeExpired(request: { batchSize: number } & At): Promise<number>;
  /**
   * Calls `listener` soon after any write to the session, from any client or process (Redis
   * pub/sub, PostgreSQL `LISTEN`, a file watcher...). A hint only: a watcher re-reads after
   * each call and also polls, so a lost notification delays a change but loses nothing.
   * Resolves once listening, to a function that stops. Absent: watchers poll.
   */
  subscribe?(ref: SessionRef, listener: () => void): Promise<() => Promise<void>>;
  /** One round trip to the server; throws when it fails. */
  ping(): Promise<void>;
  /** Creates what the driver needs on its server (tables, indexes): safe to re-run. */
  setup?(): Promise<void>;
  /** Releases what the driver owns (a client passed in by the caller stays open). */
  close(): Promise<void>;
  /**
   * Maps a thrown driver error to a code the caller can act on. Returning `undefined` (or
   * leaving this out) makes the store report `UNAVAILABLE`, retryable.
   */
  classifyError?(error: unknown): { code: 'INVALID_ARGUMENT' | 'TOO_LARGE' | 'UNAVAILABLE' | 'CONFLICT'; message: string } | undefined;
}
