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
import type { Database } from 'better-sqlite3';
import { prepareAppend } from './append.js';
import { prepareClear } from './clear.js';
import type { Connection } from './connection.js';
import { prepareCreate } from './create.js';
import { prepareDelete } from './delete.js';
import { prepareDeleteUser } from './delete-user.js';
import { classifySqliteError, SQLITE_BACKEND } from './errors.js';
import { prepareFork } from './fork.js';
import { prepareGet } from './get.js';
import { prepareGetOrCreate } from './get-or-create.js';
import { prepareList } from './list.js';
import { prepareListUsers } from './list-users.js';
import { preparePing } from './ping.js';
import { preparePop } from './pop.js';
import { preparePurgeExpired } from './purge-expired.js';
import { prepareRead } from './read.js';
import { prepareReplaceTail } from './replace-tail.js';
import { prepareRestoreMessages } from './restore-messages.js';
import { prepareRestoreSession } from './restore-session.js';
import { prepareRewrite } from './rewrite.js';
import { SessionRows } from './session-row.js';
import { changeFeedOf, closeChangeFeed, notifyWrite } from './subscribe.js';
import { migrate } from './setup.js';
import { prepareTrim } from './trim.js';
import { prepareUpdate } from './update.js';

/** A value made on first use, then kept. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * The SQLite driver over one better-sqlite3 connection. Each operation is one file of this
 * folder (its statements next to their parameter types) and runs as one transaction: writes
 * `BEGIN IMMEDIATE`, so the write lock is held from the first read and no other connection or
 * process writes in between. Reads never take the write lock: one statement, a read transaction
 * (one snapshot), or for ranges the session lookup then one statement (see `read.ts`).
 *
 * better-sqlite3 is synchronous: an operation runs to its end before the promise it returns is
 * settled, and while another process holds the write lock the call waits (up to the busy
 * timeout) on this thread.
 *
 * Statements are prepared on first use, not at construction: before `setup()` the tables do
 * not exist and SQLite refuses to prepare a statement over them. A failed preparation is not
 * kept, so the operation works once `setup()` has run.
 */
export class SqliteDriver implements SessionDriver {
  readonly backend = SQLITE_BACKEND;
  /** The connection (owned or the caller's). */
  readonly db: Database;
  private readonly owned: boolean;
  // Each operation's statements are prepared the first time it runs: a short-lived process (one
  // CLI command) prepares only what it uses.
  private readonly rows = lazy(() => new SessionRows(this.db));
  private readonly ops = {
    create: lazy(() => prepareCreate(this.db, this.rows())),
    get: lazy(() => prepareGet(this.db, this.rows())),
    getOrCreate: lazy(() => prepareGetOrCreate(this.db, this.rows())),
    read: lazy(() => prepareRead(this.db)),
    append: lazy(() => prepareAppend(this.db, this.rows())),
    replaceTail: lazy(() => prepareReplaceTail(this.db, this.rows())),
    pop: lazy(() => preparePop(this.db, this.rows())),
    clear: lazy(() => prepareClear(this.db, this.rows())),
    trim: lazy(() => prepareTrim(this.db, this.rows())),
    rewrite: lazy(() => prepareRewrite(this.db, this.rows())),
    fork: lazy(() => prepareFork(this.db, this.rows())),
    update: lazy(() => prepareUpdate(this.db, this.rows())),
    delete: lazy(() => prepareDelete(this.db, this.rows())),
    deleteUser: lazy(() => prepareDeleteUser(this.db)),
    list: lazy(() => prepareList(this.db)),
    listUsers: lazy(() => prepareListUsers(this.db)),
    restoreSession: lazy(() => prepareRestoreSession(this.db, this.rows())),
    restoreMessages: lazy(() => prepareRestoreMessages(this.db, this.rows())),
    purgeExpired: lazy(() => preparePurgeExpired(this.db, this.rows())),
    ping: lazy(() => preparePing(this.db)),
  };

  constructor(connection: Connection) {
    this.db = connection.db;
    this.owned = connection.owned;
  }

  async create(request: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>> {
    return this.notified(this.ops.create()(request), request);
  }

  async get(request: GetRequest): Promise<SessionWithEntries | null> {
    return this.ops.get()(request);
  }

  async getOrCreate(request: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }> {
    return this.notified(this.ops.getOrCreate()(request), request);
  }

  async read(request: ReadRequest): Promise<StoredEntry[]> {
    return this.ops.read()(request);
  }

  async append(request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
    return this.notified(this.ops.append()(request), request);
  }

  async replaceTail(request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
    return this.notified(this.ops.replaceTail()(request), request);
  }

  async pop(request: SessionRef & At): Promise<StoredEntry | null> {
    return this.notified(this.ops.pop()(request), request);
  }

  async clear(request: SessionRef & At): Promise<void> {
    this.notified(this.ops.clear()(request), request);
  }

  async trim(request: TrimRequest): Promise<number> {
    return this.notified(this.ops.trim()(request), request);
  }

  async rewrite(request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
    return this.notified(this.ops.rewrite()(request), request);
  }

  async fork(request: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>> {
    return this.notified(this.ops.fork()(request), { userId: request.userId, sessionId: request.newSessionId });
  }

  async update(request: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>> {
    return this.notified(this.ops.update()(request), request);
  }

  async delete(request: SessionRef & At): Promise<boolean> {
    return this.notified(this.ops.delete()(request), request);
  }

  async deleteUser(request: { userId: string } & At): Promise<number> {
    return this.notified(this.ops.deleteUser()(request), undefined);
  }

  async list(request: ListRequest): Promise<SessionInfo[]> {
    return this.ops.list()(request);
  }

  async *listUsers(request: At): AsyncIterable<string> {
    // A generator, so a failure to prepare surfaces from next(), where the store maps it.
    yield* this.ops.listUsers()(request);
  }

  async restoreSession(request: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>> {
    return this.notified(this.ops.restoreSession()(request), { userId: request.userId, sessionId: request.snapshot.id });
  }

  async restoreMessages(request: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
    return this.notified(this.ops.restoreMessages()(request), request);
  }

  async purgeExpired(request: { batchSize: number } & At): Promise<number> {
    return this.notified(this.ops.purgeExpired()(request), undefined);
  }

  async ping(): Promise<void> {
    this.ops.ping()();
  }

  /**
   * Calls `listener` after writes that may have changed the session: at once for writes
   * through this connection, within about 100 ms for writes by any other connection, thread or
   * process (see `ChangeFeed`). A hint only: `watch()` re-reads, and also polls.
   */
  async subscribe(ref: SessionRef, listener: () => void): Promise<() => Promise<void>> {
    return changeFeedOf(this.db).subscribe(ref, listener);
  }

  /** Runs the pending migrations (see `migrate`); safe to re-run, from any number of processes. */
  async setup(): Promise<void> {
    migrate(this.db);
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    closeChangeFeed(this.db);
    if (this.db.open) this.db.close();
  }

  /** Passes a write's result through, telling the connection's watchers (of `ref`, or all) first. */
  private notified<T>(result: T, ref: SessionRef | undefined): T {
    notifyWrite(this.db, ref);
    return result;
  }

  classifyError(error: unknown): ReturnType<NonNullable<SessionDriver['classifyError']>> {
    return classifySqliteError(error);
  }
}
