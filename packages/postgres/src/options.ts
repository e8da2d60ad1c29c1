import type { PGliteInterface } from '@electric-sql/pglite';
import type { JsonObject, StoreOptions } from '@sessions/core';
import type { Sql } from 'postgres';

/** A drizzle database over postgres.js or PGlite: the store uses its underlying client (`$client`). */
export interface DrizzleDatabaseLike {
  $client: Sql | PGliteInterface;
}

/** The PostgreSQL options every way of building a {@link PostgresSessionStore} shares, on top of the shared {@link StoreOptions}. */
export interface PostgresStoreSettings<M extends JsonObject = JsonObject> extends StoreOptions<M> {
  /**
   * The PostgreSQL schema holding the store's tables, so several apps (or tenants, or test
   * files) can share one database. Created by `setup()` when missing. Any name of 1 to 63
   * bytes works (it is always quoted), except the `pg_` names PostgreSQL reserves.
   * @default "public" (or the URL's `?schema=`)
   */
  schema?: string;
  /**
   * Run statements as named prepared statements (postgres.js only; PGlite ignores it). Turn
   * it off behind a transaction-mode pooler (PgBouncer before 1.21) that cannot keep them.
   * @default true
   */
  prepare?: boolean;
  /**
   * Longest time one statement or transaction of a call may take on a postgres.js client,
   * waiting for a free connection included; then the call fails with `UNAVAILABLE` (a write may
   * or may not have been applied: retry it with the same idempotency key). The driver also
   * runs no more statements at once than the pool has connections. Both guard against
   * postgres.js 3.4.9 leaving calls pending forever when a busy connection of a full pool is
   * cut (porsager/postgres#970); a pool the store opened is then replaced by a fresh one.
   * Each call is one short statement or transaction (batch work runs in bounded batches), so
   * the default leaves a wide margin; raise it if your server is far or heavily loaded.
   * PGlite ignores it.
   * @default 10000
   */
  callTimeoutMs?: number;
}

/**
 * Options of `new PostgresSessionStore(...)`: exactly one of `client` (postgres.js), `db` (a
 * drizzle database) or `pglite` (an embedded PGlite), all owned by the caller and left open
 * by `close()`.
 */
export interface PostgresSessionStoreOptions<M extends JsonObject = JsonObject> extends PostgresStoreSettings<M> {
  /**
   * A postgres.js client the caller owns. Create it with `fetch_types: false`: the store needs
   * no array types, and postgres.js's fetch of them can end the process when a connection is
   * cut while it starts (postgres.js issues 1192, 1205, 1223).
   */
  client?: Sql;
  /**
   * A drizzle database (`drizzle(client)` over postgres.js or PGlite) the caller owns. The
   * store runs its own SQL on the underlying client; it reads no value through drizzle's type
   * parsers, so drizzle's changes to the client do not affect it.
   */
  db?: DrizzleDatabaseLike;
  /** A PGlite instance the caller owns (embedded PostgreSQL). */
  pglite?: PGliteInterface;
}

/** Options of `PostgresSessionStore.fromUrl`: the store owns the client it opens. */
export interface PostgresUrlOptions<M extends JsonObject = JsonObject> extends PostgresStoreSettings<M> {
  /**
   * Largest number of connections of the store's postgres.js pool (`postgres://` only).
   * @default 10
   */
  maxConnections?: number;
  /**
   * How long the pool waits for a new connection before the call fails with `UNAVAILABLE`
   * (`postgres://` only).
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * Pause between reconnection attempts while the server is down (`postgres://` only).
   * postgres.js's own default backs off exponentially up to 20 s, during which calls wait
   * instead of failing; a short fixed pause makes calls fail fast during an outage and recover
   * as soon as it ends.
   * @default 500
   */
  reconnectDelayMs?: number;
}
