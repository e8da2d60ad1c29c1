import type {
  AppendOutcome,
  AppendRequest,
  At,
  CreateRequest,
  ForkRequest,
  GetOrCreateRequest,
  GetRequest,
  ListRequest,
  Outcome,
  ReadRequest,
  ReplaceTailOutcome,
  ReplaceTailRequest,
  RestoreMessagesRequest,
  RestoreSessionRequest,
  RewriteOutcome,
  RewriteRequest,
  SessionDriver,
  SessionInfo,
  SessionRef,
  SessionWithEntries,
  StoredEntry,
  TrimRequest,
  UpdateRequest,
} from '@sessions/core';
import { append, appendScript } from './append.js';
import { clear, clearScript } from './clear.js';
import { closeOwnedClient, type RedisClient } from './client.js';
import type { RedisContext } from './context.js';
import { create, createScript } from './create.js';
import { deleteSession, deleteScript } from './delete.js';
import { deleteUser, deleteUserScript } from './delete-user.js';
import { classifyRedisError } from './errors.js';
import { fork, forkScript } from './fork.js';
import { get, getScript } from './get.js';
import { getOrCreate } from './get-or-create.js';
import { InFlightWrites } from './in-flight.js';
import { KeySpace } from './keys.js';
import { list, listScript } from './list.js';
import { listUsers } from './list-users.js';
import { ping } from './ping.js';
import { pop, popScript } from './pop.js';
import { purgeExpired, purgeScript } from './purge-expired.js';
import { read } from './read.js';
import { replaceTail, replaceTailScript } from './replace-tail.js';
import { restoreMessages, restoreMessagesScript } from './restore-messages.js';
import { restoreSession, restoreSessionScript } from './restore-session.js';
import { rewrite, rewriteScript } from './rewrite.js';
import type { ReplicaWait } from './replicas.js';
import { ScriptRunner } from './script.js';
import { SessionSubscriptions } from './subscribe.js';
import { trim, trimScript } from './trim.js';
import { update, updateScript } from './update.js';

/** The backend name in this driver's error messages. */
export const REDIS_BACKEND = 'redis';

const SCRIPTS = [
  appendScript,
  replaceTailScript,
  createScript,
  getScript,
  updateScript,
  popScript,
  clearScript,
  trimScript,
  rewriteScript,
  deleteScript,
  forkScript,
  restoreSessionScript,
  restoreMessagesScript,
  listScript,
  purgeScript,
  deleteUserScript,
];

/** What {@link RedisDriver} is built from. */
export interface RedisDriverOptions {
  /** A client checked by `unusableClient` (the store does that). */
  client: RedisClient;
  /** Prepended to every key. */
  keyPrefix: string;
  /** `close()` quits the client only when the driver owns it. */
  ownsClient: boolean;
  /** `WAIT` for these replicas after every write script (the store option `waitForReplicas`). */
  waitForReplicas?: ReplicaWait;
}

/**
 * The Redis driver: each method is one Lua script (one EVALSHA, atomic, in the one cluster slot
 * of the user's hash tag) or, for range reads, two plain commands in one round trip. The
 * scripts live next to their typed arguments, one file per operation.
 */
export class RedisDriver implements SessionDriver {
  readonly backend = REDIS_BACKEND;
  readonly client: RedisClient;
  readonly keys: KeySpace;
  private readonly ctx: RedisContext;
  private readonly ownsClient: boolean;
  private readonly subscriptions: SessionSubscriptions;

  constructor(options: RedisDriverOptions) {
    this.client = options.client;
    this.keys = new KeySpace(options.keyPrefix);
    this.ownsClient = options.ownsClient;
    const scripts = new ScriptRunner(options.client, InFlightWrites.of(options.client), SCRIPTS, options.waitForReplicas);
    this.ctx = { client: options.client, keys: this.keys, scripts };
    this.subscriptions = new SessionSubscriptions(options.client, this.keys);
  }

  create(request: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>> {
    return create(this.ctx, request);
  }

  get(request: GetRequest): Promise<SessionWithEntries | null> {
    return get(this.ctx, request);
  }

  getOrCreate(request: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }> {
    return getOrCreate(this.ctx, request);
  }

  read(request: ReadRequest): Promise<StoredEntry[]> {
    return read(this.ctx, request);
  }

  append(request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
    return append(this.ctx, request);
  }

  replaceTail(request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
    return replaceTail(this.ctx, request);
  }

  pop(request: SessionRef & At): Promise<StoredEntry | null> {
    return pop(this.ctx, request);
  }

  clear(request: SessionRef & At): Promise<void> {
    return clear(this.ctx, request);
  }

  trim(request: TrimRequest): Promise<number> {
    return trim(this.ctx, request);
  }

  rewrite(request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
    return rewrite(this.ctx, request);
  }

  fork(request: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>> {
    return fork(this.ctx, request);
  }

  update(request: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>> {
    return update(this.ctx, request);
  }

  delete(request: SessionRef & At): Promise<boolean> {
    return deleteSession(this.ctx, request);
  }

  deleteUser(request: { userId: string } & At): Promise<number> {
    return deleteUser(this.ctx, request);
  }

  list(request: ListRequest): Promise<SessionInfo[]> {
    return list(this.ctx, request);
  }

  listUsers(request: At): AsyncIterable<string> {
    return listUsers(this.ctx, request);
  }

  restoreSession(request: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>> {
    return restoreSession(this.ctx, request);
  }

  restoreMessages(request: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
    return restoreMessages(this.ctx, request);
  }

  purgeExpired(request: { batchSize: number } & At): Promise<number> {
    return purgeExpired(this.ctx, request);
  }

  /**
   * Calls `listener` after every write to the session, from any process: each write script
   * publishes on the session's channel, and one subscriber connection per store (a duplicate of
   * the client, opened on the first subscribe and closed with the last) listens. Never rejects.
   */
  subscribe(ref: SessionRef, listener: () => void): Promise<() => Promise<void>> {
    return this.subscriptions.subscribe(ref, listener);
  }

  ping(): Promise<void> {
    return ping(this.ctx);
  }

  async close(): Promise<void> {
    this.subscriptions.close();
    if (this.ownsClient) await closeOwnedClient(this.client);
  }

  classifyError(error: unknown): ReturnType<typeof classifyRedisError> {
    return classifyRedisError(error);
  }
}
