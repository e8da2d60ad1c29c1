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
  type UpdateSessionOptions,
} from '@sessions/core';
import { appendBatch, resetExpired } from './append-operation.js';
import { openDriver, openEmbeddedDriver, openUrlDriver } from './connect.js';
import type { SqlDriver } from './driver.js';
import { BACKEND, errors, mapDriverError } from './errors.js';
import { migrateSchema, type MigrateOptions, type MigrationResult } from './migrate.js';
import type { EmbeddedOptions, PostgresSessionStoreOptions, PostgresStoreSettings, PostgresUrlOptions } from './options.js';
import type { SessionRow } from './queries/fragments.js';
import { buildQueries } from './queries/index.js';
import { listSessionsPage, listUserIds, readMessages, readSession } from './read-operations.js';
import { clearMessages, popNewest } from './message-operations.js';
import { toSessionInfo } from './rows.js';
import { checkSchemaName } from './schema-name.js';
import { MAX_ATTEMPTS, type StoreContext } from './store-context.js';
import { restoreMessages, restoreSession } from './restore-operations.js';
import { forkSession, updateSession } from './transaction-operations.js';

/**
 * The PostgreSQL backend: sessions, messages and idempotency keys in three tables (see
 * `sessionTables`), over postgres.js, a drizzle database, or PGlite (embedded). Create the
 * tables once with {@link PostgresSessionStore.migrate}; nothing runs DDL on its own.
 */
export class PostgresSessionStore<M extends JsonObject = JsonObject> implements SessionStore<M> {
  readonly backend = BACKEND;
  /** The PostgreSQL schema holding the store's tables. */
  readonly schema: string;
  private readonly ctx: StoreContext<M>;
  private readonly db: SqlDriver;
  private readonly ownsClient: boolean;
  private closed = false;

  /** A store over a client the caller owns: `{ client }` (postgres.js), `{ db }` (drizzle) or `{ pglite }`. */
  constructor(options: PostgresSessionStoreOptions<M>) {
    const driver = openDriver(options);
    this.db = driver.db;
    this.ownsClient = driver.owned;
    this.schema = checkSchemaName(options.schema);
    this.ctx = PostgresSessionStore.context(this.db, this.schema, options);
  }

  /** A store over its own postgres.js pool to `url` (closed by `close()`). Runs no DDL: call `migrate()`. */
  static async fromUrl<M extends JsonObject = JsonObject>(url: string, options: PostgresUrlOptions<M> = {}): Promise<PostgresSessionStore<M>> {
    checkSchemaName(options.schema); // before a pool is opened, so a bad option leaks nothing
    return PostgresSessionStore.owning<M>({ ...options, ...(await openUrlDriver(url, options)) });
  }

  /**
   * A store over its own embedded PGlite database (no server): in memory, or in `dataDir`.
   * Creates its tables unless `migrate: false`. Needs the optional peer `@electric-sql/pglite`.
   */
  static async openEmbedded<M extends JsonObject = JsonObject>(options: EmbeddedOptions<M> = {}): Promise<PostgresSessionStore<M>> {
    checkSchemaName(options.schema);
    const store = await PostgresSessionStore.owning<M>({ ...options, ...(await openEmbeddedDriver(options.dataDir)) });
    if (options.migrate !== false) {
      try {
        await store.migrate();
      } catch (error) {
        await store.close();
        throw error;
      }
    }
    return store;
  }

  /** Builds a store over a client it opened itself, closing that client if the options are refused. */
  private static async owning<M extends JsonObject>(options: PostgresSessionStoreOptions<M>): Promise<PostgresSessionStore<M>> {
    try {
      return new PostgresSessionStore<M>(options);
    } catch (error) {
      await (options.client?.end({ timeout: 1 }) ?? options.pglite?.close())?.catch(() => undefined);
      throw error;
    }
  }

  private static context<M extends JsonObject>(db: SqlDriver, schema: string, options: PostgresStoreSettings<M>): StoreContext<M> {
    const guard = new InputGuard<M>({ backend: BACKEND, maxMessageBytes: options.maxMessageBytes, messageSchema: options.messageSchema });
    return {
      db,
      q: buildQueries(schema),
      guard,
      restore: new RestoreGuard(guard),
      clock: options.clock ?? systemClock,
      defaultTtlMs: guard.ttlMs(options.ttlMs) ?? null,
    };
  }

  /**
   * Creates or upgrades the store's tables in its schema (creating the schema when missing)
   * under an advisory lock, and records the schema version. Safe to re-run: a no-op when up to date.
   */
  async migrate(options: MigrateOptions = {}): Promise<MigrationResult> {
    this.open();
    try {
      return await migrateSchema(this.db, this.schema, options);
    } catch (error) {
      throw mapDriverError(error, 'migrate');
    }
  }

  async createSession(userId: string, options: CreateSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const { guard, q } = this.ctx;
    const user = guard.userId(userId);
    const id = guard.newSessionId(options.sessionId);
    const metadata = JSON.stringify(guard.metadata(options.metadata));
    const ttl = this.ttlOrDefault(guard.ttlMs(options.ttlMs));
    const now = this.ctx.clock();
    const params = [user, id, metadata, now, ttl];
    let [row] = await this.run<SessionRow>('createSession', q.createSession, params);
    if (!row && (await resetExpired(this.ctx, user, id, now, 'createSession'))) {
      [row] = await this.run<SessionRow>('createSession', q.createSession, params);
    }
    if (!row) throw errors.alreadyExists(user, id);
    return toSessionInfo(row);
  }

  async getSession(userId: string, sessionId: string, options: GetSessionOptions = {}): Promise<Session<M> | null> {
    this.open();
    const { guard } = this.ctx;
    return readSession(this.ctx, guard.userId(userId), guard.sessionId(sessionId), guard.limit(options.limit));
  }

  async getOrCreateSession(userId: string, sessionId: string, options: GetOrCreateSessionOptions = {}): Promise<Session<M> & { created: boolean }> {
    this.open();
    const { guard, q } = this.ctx;
    const user = guard.userId(userId);
    const id = guard.sessionId(sessionId);
    const limit = guard.limit(options.limit);
    const metadata = JSON.stringify(guard.metadata(options.metadata));
    const ttl = this.ttlOrDefault(guard.ttlMs(options.ttlMs));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await readSession(this.ctx, user, id, limit);
      if (existing) return { ...existing, created: false };
      const now = this.ctx.clock();
      const [row] = await this.run<SessionRow>('getOrCreateSession', q.createSession, [user, id, metadata, now, ttl]);
      if (row) return { ...toSessionInfo(row), messages: [], created: true };
      // Taken: by a concurrent creator (read it next time round) or by an expired session.
      await resetExpired(this.ctx, user, id, now, 'getOrCreateSession');
    }
    throw errors.unavailable(`getOrCreateSession lost the race for session ${JSON.stringify(id)} ${MAX_ATTEMPTS} times; retry later`, undefined);
  }

  async listSessions(userId: string, options: ListSessionsOptions = {}): Promise<Page<SessionInfo>> {
    this.open();
    const { guard } = this.ctx;
    const user = guard.userId(userId);
    const limit = guard.listLimit(options.limit);
    return listSessionsPage(this.ctx, user, limit, guard.cursor(options.cursor));
  }

  async updateSession(userId: string, sessionId: string, options: UpdateSessionOptions): Promise<SessionInfo> {
    this.open();
    const { guard } = this.ctx;
    const user = guard.userId(userId);
    const id = guard.sessionId(sessionId);
    if (typeof options !== 'object' || options === null) throw errors.invalid('updateSession needs an options object { metadata?, ttlMs? }');
    const patch = options.metadata === undefined ? undefined : guard.metadataPatch(options.metadata);
    return updateSession(this.ctx, { userId: user, sessionId: id, patch, ttlMs: guard.ttlMs(options.ttlMs) });
  }

  async deleteSession(userId: string, sessionId: string): Promise<boolean> {
    this.open();
    const { guard, q } = this.ctx;
    const rows = await this.run<{ live: boolean }>('deleteSession', q.deleteSession, [guard.userId(userId), guard.sessionId(sessionId), this.ctx.clock()]);
    return rows[0]?.live === true;
  }

  async deleteUser(userId: string): Promise<number> {
    this.open();
    const [row] = await this.run<{ deleted: number }>('deleteUser', this.ctx.q.deleteUser, [this.ctx.guard.userId(userId), this.ctx.clock()]);
    return row?.deleted ?? 0;
  }

  async append(userId: string, sessionId: string, messages: M | M[], options: AppendOptions = {}): Promise<AppendResult> {
    this.open();
    const { batch, ...checked } = await this.ctx.guard.append(userId, sessionId, messages, options);
    this.open();
    return appendBatch(this.ctx, { ...checked, encoded: batch.encoded });
  }

  async getMessages(userId: string, sessionId: string, options: GetMessagesOptions = {}): Promise<StoredMessage<M>[]> {
    this.open();
    const { guard } = this.ctx;
    return readMessages(this.ctx, {
      userId: guard.userId(userId),
      sessionId: guard.sessionId(sessionId),
      limit: guard.limit(options.limit),
      afterSeq: guard.seq(options.afterSeq, 'afterSeq'),
      beforeSeq: guard.seq(options.beforeSeq, 'beforeSeq'),
      from: guard.readFrom(options.from),
    });
  }

  async popMessage(userId: string, sessionId: string): Promise<StoredMessage<M> | null> {
    this.open();
    const { guard } = this.ctx;
    return popNewest(this.ctx, guard.userId(userId), guard.sessionId(sessionId));
  }

  async clearSession(userId: string, sessionId: string): Promise<void> {
    this.open();
    const { guard } = this.ctx;
    await clearMessages(this.ctx, guard.userId(userId), guard.sessionId(sessionId));
  }

  async forkSession(userId: string, sessionId: string, options: ForkSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const { guard } = this.ctx;
    const user = guard.userId(userId);
    const id = guard.sessionId(sessionId);
    const newSessionId = guard.newSessionId(options.newSessionId);
    const uptoSeq = guard.seq(options.uptoSeq, 'uptoSeq');
    const patch = options.metadata === undefined ? undefined : guard.metadataPatch(options.metadata);
    return forkSession(this.ctx, { userId: user, sessionId: id, newSessionId, uptoSeq, patch });
  }

  listUsers(): AsyncIterable<string> {
    return listUserIds(this.ctx, () => this.open());
  }

  async restoreSession(userId: string, snapshot: SessionSnapshot): Promise<void> {
    this.open();
    await restoreSession(this.ctx, this.ctx.guard.userId(userId), snapshot);
  }

  async restoreMessages(userId: string, sessionId: string, messages: StoredMessage<M>[]): Promise<void> {
    this.open();
    const { guard } = this.ctx;
    await restoreMessages(this.ctx, guard.userId(userId), guard.sessionId(sessionId), messages);
  }

  async purgeExpired(options: PurgeExpiredOptions = {}): Promise<number> {
    this.open();
    const batchSize = this.ctx.guard.batchSize(options.batchSize);
    const now = this.ctx.clock();
    let total = 0;
    for (;;) {
      const rows = await this.run('purgeExpired', this.ctx.q.purgeExpired, [now, batchSize]);
      total += rows.length;
      if (rows.length < batchSize) return total;
    }
  }

  async health(): Promise<HealthStatus> {
    if (this.closed) return { ok: false, latencyMs: 0, detail: 'the store is closed' };
    const started = performance.now();
    try {
      await this.db.query('SELECT 1', []);
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, latencyMs: performance.now() - started, detail: mapDriverError(error, 'health').message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.db.end().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }


  private async run<R extends Record<string, unknown>>(operation: string, text: string, params: unknown[]): Promise<R[]> {
    try {
      return await this.db.query<R>(text, params);
    } catch (error) {
      throw mapDriverError(error, operation);
    }
  }

  private ttlOrDefault(ttlMs: number | null | undefined): number | null {
    return ttlMs === undefined ? this.ctx.defaultTtlMs : ttlMs;
  }

  private open(): void {
    if (this.closed) throw errors.closed();
  }
}
