import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
import type { DynamoTableOptions } from '../options.js';
import { append } from './append.js';
import { StreamChangeFeed } from './change-feed.js';
import { clear } from './clear.js';
import type { DriverContext } from './context.js';
import { create } from './create.js';
import { deleteUser } from './delete-user.js';
import { deleteSession } from './delete.js';
import { BACKEND, classifyError, type ErrorClass } from './errors.js';
import { fork } from './fork.js';
import { getOrCreate } from './get-or-create.js';
import { get } from './get.js';
import { listUsers } from './list-users.js';
import { list } from './list.js';
import { ping } from './ping.js';
import { pop } from './pop.js';
import { purgeExpired } from './purge-expired.js';
import { read } from './read.js';
import { replaceTail } from './replace-tail.js';
import { restoreMessages } from './restore-messages.js';
import { restoreSession } from './restore-session.js';
import { MAX_REWRITE_BATCH, rewrite } from './rewrite.js';
import { SessionCache } from './session-cache.js';
import { SessionQueue } from './session-queue.js';
import { setupTable } from './setup.js';
import { TableClient } from './table-client.js';
import { trim } from './trim.js';
import { update } from './update.js';

/** What {@link DynamoDriver} needs: a client, its table and how it retries. */
export interface DynamoDriverOptions {
  client: DynamoDBClient;
  /** `true` when the driver destroys the client on `close()` (it built it). */
  ownsClient: boolean;
  tableName: string;
  /** Retries of throttled requests and lost races. */
  maxRetries: number;
  /** Sessions remembered (0 = none). */
  sessionCacheSize: number;
  /** How `setup()` creates a missing table. */
  table?: DynamoTableOptions | undefined;
  /** Follow the table's stream for watches (and have `setup()` enable it); absent: watches poll. */
  streams?: { pollIntervalMs: number; endpoint?: string | undefined } | undefined;
}

/**
 * The DynamoDB driver: one table, a session item per session and an item per message (see
 * keys.ts for the layout). Each method is one file of this folder, holding its DynamoDB
 * commands; each does its write in one atomic step (a conditional write or one
 * `TransactWriteItems`), after the reads it needs.
 */
export class DynamoDriver implements SessionDriver {
  readonly backend = BACKEND;
  /** One `TransactWriteItems` per rewrite: the store pages bulk rewrites (fork re-encoding) by this. */
  readonly maxRewriteBatch = MAX_REWRITE_BATCH;
  /** The client, the caller's or the driver's own. */
  readonly client: DynamoDBClient;
  /** The table this driver reads and writes. */
  readonly tableName: string;
  private readonly ctx: DriverContext;
  private readonly ownsClient: boolean;
  private readonly tableOptions: DynamoTableOptions;
  private readonly feed: StreamChangeFeed | undefined;
  /**
   * Wakes a watch soon after any write to the session, from any client or process, by reading
   * the table's DynamoDB Stream (see change-feed.ts). Present only with the `streams` option:
   * without it, watches poll.
   */
  readonly subscribe?: (ref: SessionRef, listener: () => void) => Promise<() => Promise<void>>;

  constructor(options: DynamoDriverOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.ownsClient = options.ownsClient;
    this.tableOptions = options.table ?? {};
    this.ctx = {
      table: new TableClient(options.client, options.tableName, { maxRetries: options.maxRetries }),
      cache: new SessionCache(options.sessionCacheSize),
      queue: new SessionQueue(),
      maxRetries: options.maxRetries,
    };
    if (options.streams) {
      const feed = new StreamChangeFeed({ client: options.client, tableName: options.tableName, ...options.streams });
      this.feed = feed;
      this.subscribe = (ref, listener) => feed.subscribe(ref.userId, ref.sessionId, listener);
    }
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
    return this.ctx.queue.run(request.userId, request.sessionId, () => append(this.ctx, request));
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

  ping(): Promise<void> {
    return ping(this.client, this.tableName);
  }

  /**
   * Creates the table, its listing index and native TTL when missing (and, with `streams`, its
   * stream), and waits until they are active. Safe to re-run.
   */
  async setup(): Promise<void> {
    await setupTable(this.client, this.tableName, this.tableOptions, { streams: this.feed !== undefined });
  }

  /** Stops the stream reader, and destroys the client if the driver built it; a client passed in stays open. */
  async close(): Promise<void> {
    await this.feed?.close();
    if (this.ownsClient) this.client.destroy();
  }

  classifyError(error: unknown): ErrorClass | undefined {
    return classifyError(error, this.tableName);
  }
}
