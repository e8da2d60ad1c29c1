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
import { append } from './append.js';
import { clear } from './clear.js';
import { DriverContext } from './context.js';
import { create } from './create.js';
import { deleteUser } from './delete-user.js';
import { deleteSession } from './delete.js';
import { BACKEND, classifyError } from './errors.js';
import { fork } from './fork.js';
import { getOrCreate } from './get-or-create.js';
import { get } from './get.js';
import { listUsers } from './list-users.js';
import { list } from './list.js';
import { migrateSchema } from './migrations.js';
import { ping } from './ping.js';
import { pop } from './pop.js';
import { purgeExpired } from './purge-expired.js';
import { read } from './read.js';
import { replaceTail } from './replace-tail.js';
import { restoreMessages } from './restore-messages.js';
import { restoreSession } from './restore-session.js';
import { rewrite } from './rewrite.js';
import { checkSchemaName } from './schema-name.js';
import type { SqlClient } from './sql-client.js';
import { Statements } from './statement.js';
import { ChangeListener } from './subscribe.js';
import { trim } from './trim.js';
import { update } from './update.js';

/**
 * The PostgreSQL driver: sessions, messages and idempotency keys in three tables of one schema,
 * over postgres.js or PGlite (both seen as a {@link SqlClient}). Each method is one statement, or
 * one transaction that first locks the session row (the lock every write takes), so each is
 * atomic on the server. One file per operation holds its SQL next to its parameter object.
 * Every write notifies the schema's channel as part of itself (`notify.ts`), which
 * {@link PostgresDriver.subscribe} listens to.
 */
export class PostgresDriver implements SessionDriver {
  readonly backend = BACKEND;
  /** The PostgreSQL schema holding the tables. */
  readonly schema: string;
  private readonly ctx: DriverContext;
  private readonly changes: ChangeListener;

  /**
   * @param client the connection (a caller's client, or one the store opened)
   * @param schema the schema of the tables (checked here: `INVALID_ARGUMENT` when not a usable name)
   * @param owned whether {@link close} ends the client
   */
  constructor(
    private readonly client: SqlClient,
    schema: string | undefined,
    private readonly owned: boolean,
  ) {
    this.schema = checkSchemaName(schema);
    this.ctx = new DriverContext(client, new Statements(this.schema));
    this.changes = new ChangeListener(client, this.schema);
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

  /** Wakes `listener` after each committed write to the session, through one `LISTEN` per store (`subscribe.ts`). */
  subscribe(ref: SessionRef, listener: () => void): Promise<() => Promise<void>> {
    return this.changes.subscribe(ref, listener);
  }

  ping(): Promise<void> {
    return ping(this.ctx);
  }

  /** Creates or upgrades the tables (see `migrations.ts`): safe to re-run. */
  async setup(): Promise<void> {
    await migrateSchema(this.client, this.schema);
  }

  async close(): Promise<void> {
    await this.changes.close();
    // A failing shutdown leaves nothing to act on: the store is closed either way.
    if (this.owned) await this.client.end().catch(() => undefined);
  }

  classifyError(error: unknown): ReturnType<typeof classifyError> {
    return classifyError(error);
  }
}
