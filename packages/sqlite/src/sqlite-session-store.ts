import { DriverSessionStore, type JsonObject } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { openConnection } from './driver/connection.js';
import { SqliteDriver } from './driver/driver.js';
import type { SqliteSessionStoreOptions, SqliteUrlOptions } from './options.js';
import { parseSqliteUrl } from './url.js';

/**
 * The SQLite backend: sessions in one database file (or in memory), over better-sqlite3. Many
 * stores, threads and processes may share one file: every write is one `BEGIN IMMEDIATE`
 * transaction in WAL mode. Create the tables once with `await store.setup()`.
 *
 * @example
 * const store = await SqliteSessionStore.fromUrl('sqlite:./conversations.db');
 * await store.setup();
 * const chat = store.session('user_123', 'conversation');
 */
export class SqliteSessionStore<M extends JsonObject = JsonObject> extends DriverSessionStore<M> {
  /**
   * A store over `{ database }` (a better-sqlite3 Database the caller owns and closes) or
   * `{ path }` (a file, or `':memory:'`, that the store opens and `close()` closes).
   */
  constructor(options: SqliteSessionStoreOptions<M>) {
    const { database, path, busyTimeoutMs, synchronous, ...storeOptions } = options;
    super(new SqliteDriver(openConnection({ database, path, busyTimeoutMs, synchronous })), storeOptions);
  }

  /**
   * A store over the database a `sqlite:` URL names (`sqlite:./data/sessions.db`,
   * `sqlite:/abs/path.db`, `sqlite::memory:`); the store owns it. Query parameters set the
   * connection options (`?busyTimeoutMs=10000&synchronous=FULL`); `options` win over them.
   */
  static async fromUrl<M extends JsonObject = JsonObject>(url: string, options: SqliteUrlOptions<M> = {}): Promise<SqliteSessionStore<M>> {
    const parsed = parseSqliteUrl(url);
    return new SqliteSessionStore<M>({ ...parsed.settings, ...options, path: parsed.path });
  }

  /** The better-sqlite3 connection the store works on (for the caller's own reads; never write the store's tables). */
  get database(): Database {
    return (this.driver as SqliteDriver).db;
  }
}
