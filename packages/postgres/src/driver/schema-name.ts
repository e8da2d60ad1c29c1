import { storeErrors } from '@sessions/core';
import { BACKEND } from './errors.js';

const errors = storeErrors(BACKEND);

/**
 * The default PostgreSQL schema the store's tables live in. Declared here, not next to the
 * drizzle tables, so the store never loads drizzle-orm (an optional peer dependency).
 */
export const DEFAULT_SCHEMA = 'public';

/** Checks the `schema` option (when the store is built, before any client is used): a PostgreSQL identifier of 1 to 63 bytes without NUL (it is always quoted, so any other character is fine). */
export function checkSchemaName(value: unknown): string {
  if (value === undefined) return DEFAULT_SCHEMA;
  if (typeof value !== 'string' || value.length === 0 || value.includes('\u0000') || Buffer.byteLength(value, 'utf8') > 63) {
    throw errors.invalid(`schema must be a PostgreSQL schema name of 1 to 63 bytes without NUL characters, got ${JSON.stringify(value) ?? typeof value}`);
  }
  if (value.toLowerCase().startsWith('pg_')) {
    throw errors.invalid(`schema ${JSON.stringify(value)} starts with "pg_", which PostgreSQL reserves for system schemas; pick another name`);
  }
  return value;
}
