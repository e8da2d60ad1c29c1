import { registerStoreScheme } from '@sessions/core';
import { PostgresSessionStore } from './postgres-session-store.js';
import { POSTGRES_SCHEMES } from './url.js';

export { PostgresSessionStore } from './postgres-session-store.js';
export type { DrizzleDatabaseLike, PostgresSessionStoreOptions, PostgresStoreSettings, PostgresUrlOptions } from './options.js';
export { PostgresDriver } from './driver/driver.js';
export { BACKEND } from './driver/errors.js';
export { parsePostgresUrl, POSTGRES_SCHEMES, type PostgresTarget } from './url.js';
export { DEFAULT_SCHEMA } from './driver/schema-name.js';
// The drizzle tables (sessionTables) are in '@sessions/postgres/drizzle': drizzle-orm is optional.

// Importing the package makes openStore('postgres://...') and openStore('pglite:...') work.
registerStoreScheme(POSTGRES_SCHEMES, (url, options) => PostgresSessionStore.fromUrl(url.text, options));
