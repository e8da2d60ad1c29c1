import type { PGliteInterface } from '@electric-sql/pglite';
import { storeErrors } from '@sessions/core';
import type { Sql } from 'postgres';
import { BACKEND } from './errors.js';
import { lockDataDir } from './pglite-lock.js';
import { isPGlite, isPostgresJs, pgliteClient, postgresJsClient, type SqlClient } from './sql-client.js';

const errors = storeErrors(BACKEND);

/** How the store opens its own postgres.js pool. */
export interface PoolSettings {
  maxConnections?: number;
  connectTimeoutMs?: number;
  reconnectDelayMs?: number;
  prepare?: boolean;
  callTimeoutMs?: number;
}

/**
 * Opens a postgres.js pool the store owns. `fetch_types` is off: postgres.js then never runs
 * its array-type query while a connection starts, whose promise it drops when the connection is
 * cut at that moment (an unhandled rejection that ends the process). The driver passes no array
 * parameter, so it needs none of those types.
 */
export async function openPool(url: string, settings: PoolSettings): Promise<{ client: SqlClient; sql: Sql }> {
  let connect: typeof import('postgres');
  try {
    // The package is CommonJS-typed (`export =`); at run time its ESM entry has a default export.
    connect = ((await import('postgres')) as unknown as { default: typeof import('postgres') }).default;
  } catch (error) {
    throw errors.invalid('postgres:// URLs need the peer dependency postgres (postgres.js): npm install postgres', error);
  }
  checkCallTimeout(settings.callTimeoutMs);
  const open = () =>
    connect(url, {
      max: settings.maxConnections ?? 10,
      fetch_types: false,
      // Notices (e.g. from the caller's own DDL) are not ours to print.
      onnotice: () => undefined,
      // Seconds, as postgres.js takes them.
      connect_timeout: (settings.connectTimeoutMs ?? 5000) / 1000,
      backoff: () => (settings.reconnectDelayMs ?? 500) / 1000,
    });
  const sql = open();
  return { client: postgresJsClient(sql, settings.prepare ?? true, settings.callTimeoutMs, open), sql };
}

/**
 * Opens an embedded PGlite database the store owns: in memory when `dataDir` is null, else in
 * that folder, which it locks for this process first (see `pglite-lock.ts`). The optional peer
 * `@electric-sql/pglite` is loaded only here.
 */
export async function openEmbedded(dataDir: string | null): Promise<SqlClient> {
  let module: typeof import('@electric-sql/pglite');
  try {
    module = await import('@electric-sql/pglite');
  } catch (error) {
    throw errors.invalid('pglite: URLs need the optional peer dependency @electric-sql/pglite: npm install @electric-sql/pglite', error);
  }
  const unlock = dataDir === null ? async () => undefined : await lockDataDir(dataDir);
  let pg: PGliteInterface;
  try {
    pg = await module.PGlite.create(dataDir ?? undefined);
  } catch (error) {
    await unlock();
    throw error;
  }
  return pgliteClient(pg, async () => {
    try {
      if (!pg.closed) await pg.close();
    } finally {
      await unlock();
    }
  });
}

/** A client the caller owns, as the store's constructor takes it. */
export interface GivenClient {
  client?: unknown;
  db?: { $client: unknown };
  pglite?: unknown;
  prepare?: boolean;
  callTimeoutMs?: number;
}

/** The {@link SqlClient} over exactly one of `client` (postgres.js), `db` (drizzle) or `pglite`; the store never closes it. */
export function clientOf(given: GivenClient): SqlClient {
  const clients = [given.client, given.db, given.pglite].filter((c) => c !== undefined);
  if (clients.length !== 1) {
    throw errors.invalid('pass exactly one of client (postgres.js), db (a drizzle database) or pglite; or use await PostgresSessionStore.fromUrl(url)');
  }
  const client: unknown = given.client ?? given.db?.$client ?? given.pglite;
  checkCallTimeout(given.callTimeoutMs);
  if (isPostgresJs(client)) return postgresJsClient(client, given.prepare ?? true, given.callTimeoutMs);
  if (isPGlite(client)) return pgliteClient(client, async () => undefined);
  throw errors.invalid(
    given.db
      ? 'db must be a drizzle database over postgres.js or PGlite (its $client is neither)'
      : 'client must be a postgres.js client (import postgres from "postgres"; postgres(url)) and pglite a PGlite instance',
  );
}

/** Refuses a `callTimeoutMs` that is not a positive number of milliseconds (setTimeout would read it as 1 ms). */
function checkCallTimeout(ms: number | undefined): void {
  if (ms !== undefined && !(Number.isFinite(ms) && ms > 0 && ms <= 2_147_483_647)) {
    throw errors.invalid(`callTimeoutMs must be a positive number of milliseconds up to 2147483647, got ${String(ms)}`);
  }
}
