import { registerSqliteScheme } from './url.js';

export { SqliteSessionStore } from './sqlite-session-store.js';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_SYNCHRONOUS,
  type SqliteConnectionSettings,
  type SqliteSessionStoreOptions,
  type SqliteSynchronous,
  type SqliteUrlOptions,
} from './options.js';
export { parseSqliteUrl, SQLITE_SCHEMES, type SqliteUrl } from './url.js';
export { SqliteDriver } from './driver/driver.js';
export { SQLITE_BACKEND } from './driver/errors.js';
export { SCHEMA_VERSION, schemaVersion, type MigrationResult } from './driver/setup.js';

// Importing the package makes openStore('sqlite:...') work.
registerSqliteScheme();
