import type { JsonObject, StoreOptions } from '@sessions/core';
import type { Database } from 'better-sqlite3';

/**
 * The `synchronous` setting of the connection: how hard SQLite pushes each commit to the disk.
 * - `NORMAL` (WAL mode): a commit survives a killed or crashed process (it is in the OS's page
 *   cache once the call returns), not a power loss or an OS crash, which may roll back the last
 *   commits (never corrupting the file).
 * - `FULL`: also survives a power loss: an fsync of the log on every commit (slower writes).
 * - `EXTRA`: `FULL` plus an fsync of the directory when a journal file is removed.
 */
export type SqliteSynchronous = 'NORMAL' | 'FULL' | 'EXTRA';

/** The connection settings of a {@link SqliteSessionStoreOptions}, also settable in the URL's query. */
export interface SqliteConnectionSettings {
  /**
   * How long a write waits for another connection's write (of this process or another) to
   * finish before failing with `UNAVAILABLE` (retryable), in ms. Writes are short (one
   * transaction each), so waiting is rare and brief; 5 s covers a large batch or a WAL
   * checkpoint of another process, while a process stuck in a transaction still surfaces
   * as an error within seconds rather than a hang.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * See {@link SqliteSynchronous}.
   * @default 'NORMAL' (durable when a process is killed, not on power loss)
   */
  synchronous?: SqliteSynchronous;
}

/** Options of `SqliteSessionStore`: where the database is, plus the shared {@link StoreOptions}. */
export interface SqliteSessionStoreOptions<M extends JsonObject = JsonObject> extends StoreOptions<M>, SqliteConnectionSettings {
  /**
   * A better-sqlite3 database the caller owns: `close()` leaves it open. Give either this or
   * {@link SqliteSessionStoreOptions.path}. Several stores may share one database (the only
   * way to share a `:memory:` database); the store sets `busy_timeout`, `synchronous` and (for
   * a file) WAL mode on it.
   */
  database?: Database;
  /**
   * The database file (missing parent directories are created), or `':memory:'` for a private
   * in-memory database. The store opens and owns it: `close()` closes it.
   */
  path?: string;
}

/** Options of `SqliteSessionStore.fromUrl`: the URL gives the path, so no `database` or `path` here. */
export type SqliteUrlOptions<M extends JsonObject = JsonObject> = Omit<SqliteSessionStoreOptions<M>, 'database' | 'path'>;

/** Default {@link SqliteConnectionSettings.busyTimeoutMs}. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Default {@link SqliteConnectionSettings.synchronous}. */
export const DEFAULT_SYNCHRONOUS: SqliteSynchronous = 'NORMAL';
