import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  InputGuard,
  RestoreGuard,
  systemClock,
  type AppendOptions,
  type AppendResult,
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
  type StoredMessage,
  type StoreErrors,
  type UpdateSessionOptions,
} from '@sessions/core';
import { listUsers, purgeExpired } from './commands/admin.js';
import { append } from './commands/append.js';
import { clearSession } from './commands/clear.js';
import { createSession, restoreSession } from './commands/create.js';
import { deleteSession, deleteUser } from './commands/delete.js';
import { forkSession } from './commands/fork.js';
import { getMessages, getOrCreateSession, getSession } from './commands/get.js';
import { listSessions } from './commands/list.js';
import { popMessage } from './commands/pop.js';
import { restoreMessages } from './commands/restore-messages.js';
import { updateSession } from './commands/update.js';
import type { StoreContext } from './context.js';
import { BACKEND, toStoreError } from './errors.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_SESSION_CACHE_SIZE, DEFAULT_TABLE_NAME, type DynamoSessionStoreOptions, type EnsureTableOptions } from './options.js';
import { ensureTable, TableSetupError, type EnsureTableResult } from './table.js';
import { SessionCache } from './session-cache.js';
import { TableClient } from './table-client.js';

/**
 * A `SessionStore` on Amazon DynamoDB (or any DynamoDB-compatible endpoint), in one table:
 * a session item per session and an item per message, keyed so that an append is one
 * transaction and `getMessages({ limit })` one query, whatever the session's length. See the
 * README for the key schema, the limits and what is atomic.
 *
 * ```ts
 * const store = new DynamoSessionStore({ client: new DynamoDBClient({}), tableName: 'sessions' });
 * await store.ensureTable(); // once, at deploy time
 * ```
 */
export class DynamoSessionStore<M extends JsonObject = JsonObject> implements SessionStore<M> {
  readonly backend = BACKEND;
  /** The table this store reads and writes. */
  readonly tableName: string;
  /** The client, the caller's or the store's own. */
  readonly client: DynamoDBClient;
  private readonly ctx: StoreContext<M>;
  private readonly errors: StoreErrors;
  private readonly ownsClient: boolean;
  private closed = false;

  constructor(options: DynamoSessionStoreOptions<M> = {}) {
    const guard = new InputGuard<M>({ backend: BACKEND, maxMessageBytes: options.maxMessageBytes, messageSchema: options.messageSchema });
    this.errors = guard.errors;
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) throw this.errors.invalid(`maxRetries must be a non-negative integer, got ${String(maxRetries)}`);
    this.tableName = options.tableName ?? DEFAULT_TABLE_NAME;
    if (typeof this.tableName !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(this.tableName)) {
      throw this.errors.invalid(`tableName must be 3 to 255 characters of A-Z a-z 0-9 _ . -, got ${JSON.stringify(this.tableName)}`);
    }
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new DynamoDBClient({
        ...options.clientConfig,
        ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
        ...(options.region !== undefined ? { region: options.region } : {}),
      });
    const clock = options.clock ?? systemClock;
    this.ctx = {
      table: new TableClient(this.client, this.tableName, { maxRetries }),
      guard,
      restore: new RestoreGuard(guard),
      errors: this.errors,
      now: clock,
      defaultTtlMs: guard.ttlMs(options.ttlMs) ?? null,
      maxRetries,
      cache: new SessionCache(options.sessionCacheSize ?? DEFAULT_SESSION_CACHE_SIZE),
    };
  }

  /**
   * A store that owns its client, built from an endpoint URL: `http://localhost:8000` (DynamoDB
   * Local) or `https://dynamodb.eu-west-1.amazonaws.com`. `close()` destroys the client.
   */
  static fromUrl<M extends JsonObject = JsonObject>(url: string, options: Omit<DynamoSessionStoreOptions<M>, 'client' | 'endpoint'> = {}): DynamoSessionStore<M> {
    return new DynamoSessionStore<M>({ ...options, endpoint: url });
  }

  /**
   * Creates the table, its listing index and native TTL if they are missing (on-demand billing
   * by default) and waits until they are active. Safe to re-run; nothing else creates tables.
   */
  ensureTable(options: EnsureTableOptions = {}): Promise<EnsureTableResult> {
    return this.run(async () => {
      try {
        return await ensureTable(this.client, this.tableName, options);
      } catch (error) {
        if (!(error instanceof TableSetupError)) throw error;
        throw error.schemaMismatch ? this.errors.invalid(error.message) : this.errors.unavailable(error.message, error);
      }
    });
  }

  createSession(userId: string, options?: CreateSessionOptions): Promise<SessionInfo> {
    return this.run(() => createSession(this.ctx, userId, options));
  }

  getSession(userId: string, sessionId: string, options?: GetSessionOptions): Promise<Session<M> | null> {
    return this.run(() => getSession(this.ctx, userId, sessionId, options));
  }

  getOrCreateSession(userId: string, sessionId: string, options?: GetOrCreateSessionOptions): Promise<Session<M> & { created: boolean }> {
    return this.run(() => getOrCreateSession(this.ctx, userId, sessionId, options));
  }

  listSessions(userId: string, options?: ListSessionsOptions): Promise<Page<SessionInfo>> {
    return this.run(() => listSessions(this.ctx, userId, options));
  }

  updateSession(userId: string, sessionId: string, options: UpdateSessionOptions): Promise<SessionInfo> {
    return this.run(() => updateSession(this.ctx, userId, sessionId, options));
  }

  deleteSession(userId: string, sessionId: string): Promise<boolean> {
    return this.run(() => deleteSession(this.ctx, userId, sessionId));
  }

  deleteUser(userId: string): Promise<number> {
    return this.run(() => deleteUser(this.ctx, userId));
  }

  append(userId: string, sessionId: string, messages: M | M[], options?: AppendOptions): Promise<AppendResult> {
    return this.run(() => append(this.ctx, userId, sessionId, messages, options));
  }

  getMessages(userId: string, sessionId: string, options?: GetMessagesOptions): Promise<StoredMessage<M>[]> {
    return this.run(() => getMessages(this.ctx, userId, sessionId, options));
  }

  popMessage(userId: string, sessionId: string): Promise<StoredMessage<M> | null> {
    return this.run(() => popMessage(this.ctx, userId, sessionId));
  }

  clearSession(userId: string, sessionId: string): Promise<void> {
    return this.run(() => clearSession(this.ctx, userId, sessionId));
  }

  forkSession(userId: string, sessionId: string, options?: ForkSessionOptions): Promise<SessionInfo> {
    return this.run(() => forkSession(this.ctx, userId, sessionId, options));
  }

  async *listUsers(): AsyncIterable<string> {
    this.open();
    try {
      yield* listUsers(this.ctx);
    } catch (error) {
      throw toStoreError(this.errors, error, this.tableName);
    }
  }

  restoreSession(userId: string, snapshot: SessionSnapshot): Promise<void> {
    return this.run(() => restoreSession(this.ctx, userId, snapshot));
  }

  restoreMessages(userId: string, sessionId: string, messages: StoredMessage<M>[]): Promise<void> {
    return this.run(() => restoreMessages(this.ctx, userId, sessionId, messages));
  }

  purgeExpired(options?: PurgeExpiredOptions): Promise<number> {
    return this.run(() => purgeExpired(this.ctx, options));
  }

  /**
   * Reads one (absent) item of the table: `ok` when the table answers. A data-plane read rather
   * than `DescribeTable`, whose low control-plane rate limit frequent health checks would hit.
   * Never throws.
   */
  async health(): Promise<HealthStatus> {
    if (this.closed) return { ok: false, latencyMs: 0, detail: 'the store is closed' };
    const started = performance.now();
    try {
      await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { PK: { S: 'health' }, SK: { S: 'health' } } }));
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, latencyMs: performance.now() - started, detail: toStoreError(this.errors, error, this.tableName).message };
    }
  }

  /** Destroys the client if the store built it; a client passed in stays open. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) this.client.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private open(): void {
    if (this.closed) throw this.errors.closed();
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    this.open();
    try {
      return await call();
    } catch (error) {
      throw toStoreError(this.errors, error, this.tableName);
    }
  }
}
