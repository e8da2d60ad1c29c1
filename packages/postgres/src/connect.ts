import type { JsonObject } from '@sessions/core';
import { isPostgresJs, postgresJsDriver, type SqlDriver } from './driver.js';
import { errors } from './errors.js';
import type { PostgresSessionStoreOptions, PostgresUrlOptions } from './options.js';
import { isPGlite, openPGlite, pgliteDriver } from './pglite.js';

/** Marks a client the store opened itself (fromUrl, openEmbedded), so `close()` ends it. */
export const OWNED_CLIENT = Symbol('sessions.postgres.ownedClient');

/** Constructor options as the store's own factories pass them. */
export type InternalOptions<M extends JsonObject> = PostgresSessionStoreOptions<M> & { [OWNED_CLIENT]?: boolean };

/** The driver over whichever client the options name, and whether the store owns it. */
export function openDriver<M extends JsonObject>(options: InternalOptions<M>): { db: SqlDriver; owned: boolean } {
  const given = [options.client, options.db, options.pglite].filter((c) => c !== undefined);
  if (given.length !== 1) {
    throw errors.invalid('pass exactly one of client (postgres.js), db (a drizzle database) or pglite; or use PostgresSessionStore.fromUrl(url) / openEmbedded()');
  }
  const owned = options[OWNED_CLIENT] === true;
  const client: unknown = options.client ?? options.db?.$client ?? options.pglite;
  if (isPostgresJs(client)) return { db: postgresJsDriver(client, options.prepare ?? true), owned };
  if (isPGlite(client)) return { db: pgliteDriver(client, owned), owned };
  throw errors.invalid(
    options.db ? 'db must be a drizzle database over postgres.js or PGlite (its $client is neither)' : 'client must be a postgres.js client (import postgres from "postgres"; postgres(url)) and pglite a PGlite instance',
  );
}

/** A client the store opened, as constructor options. */
export type OwnedClient = Pick<InternalOptions<JsonObject>, 'client' | 'pglite' | typeof OWNED_CLIENT>;

/** Opens a postgres.js pool to `url` for `fromUrl`. */
export async function openUrlDriver(
  url: string,
  options: Pick<PostgresUrlOptions, 'maxConnections' | 'connectTimeoutMs' | 'reconnectDelayMs'>,
): Promise<OwnedClient> {
  if (typeof url !== 'string' || url.length === 0) throw errors.invalid('fromUrl needs a postgres:// connection URL');
  let connect: typeof import('postgres');
  try {
    // The package is CommonJS-typed (`export =`); at run time its ESM entry has a default export.
    connect = ((await import('postgres')) as unknown as { default: typeof import('postgres') }).default;
  } catch (error) {
    throw errors.invalid('fromUrl needs the peer dependency postgres (postgres.js): npm install postgres', error);
  }
  // Notices (e.g. from the caller's own DDL) are not ours to print.
  const client = connect(url, {
    max: options.maxConnections ?? 10,
    onnotice: () => undefined,
    // Seconds, as postgres.js takes them.
    connect_timeout: (options.connectTimeoutMs ?? 5000) / 1000,
    backoff: () => (options.reconnectDelayMs ?? 500) / 1000,
  });
  return { client, [OWNED_CLIENT]: true };
}

/** Opens a PGlite database for `openEmbedded`. */
export async function openEmbeddedDriver(dataDir: string | undefined): Promise<OwnedClient> {
  return { pglite: await openPGlite(dataDir), [OWNED_CLIENT]: true };
}
