export { PostgresSessionStore } from './postgres-session-store.js';
export type {
  DrizzleDatabaseLike,
  EmbeddedOptions,
  PostgresSessionStoreOptions,
  PostgresStoreSettings,
  PostgresUrlOptions,
} from './options.js';
export type { MigrateOptions, MigrationResult } from './migrate.js';
export { sessionTables, DEFAULT_SCHEMA, type SessionTables } from './schema.js';
export { BACKEND } from './errors.js';
