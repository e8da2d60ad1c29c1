import { DriverSessionStore, type JsonObject, type StoreOptions } from '@sessions/core';
import { clientOf, openEmbedded, openPool } from './driver/connect.js';
import { PostgresDriver } from './driver/driver.js';
import { checkSchemaName } from './driver/schema-name.js';
import type { SqlClient } from './driver/sql-client.js';
import type { PostgresSessionStoreOptions, PostgresUrlOptions } from './options.js';
import { parsePostgresUrl } from './url.js';

/** Marks a client the store opened itself (`fromUrl`), so `close()` ends it. */
const OWNED_CLIENT = Symbol('sessions.postgres.ownedClient');

type InternalOptions<M extends JsonObject> = PostgresSessionStoreOptions<M> & { [OWNED_CLIENT]?: SqlClient };

/**
 * The PostgreSQL store: sessions, messages and idempotency keys in three tables (see
 * `sessionTables` in `@sessions/postgres/drizzle`), over postgres.js, a drizzle database, or PGlite (embedded PostgreSQL).
 * Create the tables once with `await store.setup()`; nothing runs DDL on its own.
 *
 * @example
 * const store = await PostgresSessionStore.fromUrl('postgres://app@db:5432/app?schema=sessions');
 * await store.setup(); // once per deploy
 */
export class PostgresSessionStore<M extends JsonObject = JsonObject> extends DriverSessionStore<M> {
  /** The PostgreSQL schema holding the store's tables. */
  readonly schema: string;

  /** A store over a client the caller owns: `{ client }` (postgres.js), `{ db }` (drizzle) or `{ pglite }`; `close()` leaves it open. */
  constructor(options: PostgresSessionStoreOptions<M>) {
    const driver = driverOf(options);
    super(driver, storeOptionsOf(options));
    this.schema = driver.schema;
  }

  /**
   * A store over a client it opens and owns (`close()` ends it), from a URL:
   * `postgres://user:pass@host:port/db[?schema=name]` (a postgres.js pool), `pglite:./folder`
   * or `pglite:` (embedded PGlite, in a folder or in memory). An option given here wins over
   * the URL's. Runs no DDL: call `setup()`.
   */
  static async fromUrl<M extends JsonObject = JsonObject>(url: string, options: PostgresUrlOptions<M> = {}): Promise<PostgresSessionStore<M>> {
    const target = parsePostgresUrl(url);
    const { maxConnections, connectTimeoutMs, reconnectDelayMs, ...rest } = options;
    const schema = checkSchemaName(options.schema ?? target.schema); // before a client is opened, so a bad option leaks nothing
    const client =
      target.kind === 'embedded'
        ? await openEmbedded(target.dataDir)
        : (await openPool(target.url, { maxConnections, connectTimeoutMs, reconnectDelayMs, prepare: options.prepare, callTimeoutMs: options.callTimeoutMs })).client;
    try {
      const internal: InternalOptions<M> = { ...rest, schema, [OWNED_CLIENT]: client };
      return new PostgresSessionStore<M>(internal);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }
}

function driverOf<M extends JsonObject>(options: InternalOptions<M>): PostgresDriver {
  const owned = options[OWNED_CLIENT];
  return new PostgresDriver(owned ?? clientOf(options), options.schema, owned !== undefined);
}

/** The shared store options, without the PostgreSQL ones. */
function storeOptionsOf<M extends JsonObject>(options: InternalOptions<M>): StoreOptions<M> {
  const { client: _client, db: _db, pglite: _pglite, schema: _schema, prepare: _prepare, callTimeoutMs: _callTimeoutMs, [OWNED_CLIENT]: _owned, ...shared } = options;
  return shared;
}
