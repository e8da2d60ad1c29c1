import { PGlite } from '@electric-sql/pglite';
import { requireService } from '@sessions/test-services';
import postgres, { type Sql } from 'postgres';

/** The test server's URL, or `undefined` (tests skipped, loudly) when it is unavailable. */
export const postgresUrl = requireService('postgres');

/** A new postgres.js client to the test server (a store under test gets its own, as another process would). */
export function newClient(options: { max?: number } = {}): Sql {
  return postgres(postgresUrl!, { max: options.max ?? 4, onnotice: () => undefined });
}

/** Drops a test schema and everything in it. */
export async function dropSchema(sql: Sql, schema: string): Promise<void> {
  await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
}

let shared: Promise<PGlite> | undefined;

/**
 * The test file's one PGlite: a cold start costs seconds and hundreds of MB, so every test of
 * a file shares it, each suite isolated in its own schema.
 */
export function sharedPGlite(): Promise<PGlite> {
  shared ??= PGlite.create();
  return shared;
}
