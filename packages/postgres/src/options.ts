import type { PGliteInterface } from '@electric-sql/pglite';
import type { Clock, JsonObject, StandardSchemaV1 } from '@sessions/core';
import type { Sql } from 'postgres';

/** A drizzle database over postgres.js or PGlite: the store uses its underlying client (`$client`). */
export interface DrizzleDatabaseLike {
  $client: Sql | PGliteInterface;
}

/** The options every way of building a {@link PostgresSessionStore} shares. */
export interface PostgresStoreSettings<M extends JsonObject = JsonObject> {
  /**
   * The PostgreSQL schema holding the store's tables, so several apps (or tenants, or test
   * files) can share one database. Created by `migrate()` when missing.
   * @default "public"
   */
  schema?: string;
  /**
   * Default time to live of a session in ms, slid by every write; a session's own `ttlMs`
   * (createSession, getOrCreateSession, updateSession) overrides it.
   * @default undefined (sessions never expire)
   */
  ttlMs?: number;
  /**
   * Largest encoded message in bytes (UTF-8 of its JSON text); a bigger one is `TOO_LARGE`.
   * @default 262144 (256 KiB)
   */
  maxMessageBytes?: number;
  /**
   * A Standard Schema (a zod schema, for one) every appended message must satisfy; what it
   * returns is what is stored. Reads are typed by it.
   * @default undefined (any plain JSON object)
   */
  messageSchema?: StandardSchemaV1<unknown, M>;
  /**
   * Where the store reads the time (ms since the epoch) for timestamps and expiry; every
   * timestamp is taken on the client and sent as a parameter, never the server's `now()`.
   * @default Date.now
   */
  clock?: Clock;
  /**
   * Run statements as named prepared statements (postgres.js only; PGlite ignores it). Turn
   * it off behind a transaction-mode pooler (PgBouncer before 1.21) that cannot keep them.
   * @default true
   */
  prepare?: boolean;
}

/**
 * Options of `new PostgresSessionStore(...)`: exactly one of `client` (postgres.js), `db` (a
 * drizzle database) or `pglite` (an embedded PGlite), all owned by the caller and left open
 * by `close()`.
 */
export interface PostgresSessionStoreOptions<M extends JsonObject = JsonObject> extends PostgresStoreSettings<M> {
  /** A postgres.js client the caller owns. */
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
   * Largest number of connections of the store's postgres.js pool.
   * @default 10
   */
  maxConnections?: number;
  /**
   * How long the pool waits for a new connection before the call fails with `UNAVAILABLE`.
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * Pause between reconnection attempts while the server is down. postgres.js's own default
   * backs off exponentially up to 20 s, during which calls wait instead of failing; a short
   * fixed pause makes calls fail fast during an outage and recover as soon as it ends.
   * @default 500
   */
  reconnectDelayMs?: number;
}

/** Options of `PostgresSessionStore.openEmbedded`: the store owns the PGlite it opens. */
export interface EmbeddedOptions<M extends JsonObject = JsonObject> extends PostgresStoreSettings<M> {
  /**
   * The folder holding the database, created when missing; in memory when absent (gone at close).
   * @default undefined (in memory)
   */
  dataDir?: string;
  /**
   * Create or upgrade the tables while opening. The embedded database belongs to the store,
   * so setting it up is part of opening it; pass `false` to call `migrate()` yourself.
   * @default true
   */
  migrate?: boolean;
}
