import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { storeErrors } from '@sessions/core';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_SYNCHRONOUS, type SqliteConnectionSettings, type SqliteSynchronous } from '../options.js';
import { SQLITE_BACKEND } from './errors.js';

/** A connection the driver works on, and whether the driver must close it. */
export interface Connection {
  db: Database;
  owned: boolean;
}

/** Where the connection comes from: exactly one of `database` (caller-owned) and `path`. */
export interface ConnectionSource extends SqliteConnectionSettings {
  database?: Database | undefined;
  path?: string | undefined;
}

const errors = storeErrors(SQLITE_BACKEND);
const SYNCHRONOUS: ReadonlySet<string> = new Set<SqliteSynchronous>(['NORMAL', 'FULL', 'EXTRA']);

/** `true` for the paths SQLite opens as a private in-memory database. */
export function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Opens (or adopts) the connection and sets what every write relies on: `busy_timeout`, so a
 * write waits for another connection's instead of failing at once; WAL, so readers never
 * block writers and other processes can share the file; and `synchronous`. The settings are
 * checked before anything is opened, so a bad one leaks no connection.
 */
export function openConnection(source: ConnectionSource): Connection {
  const busyTimeoutMs = source.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw errors.invalid(`busyTimeoutMs must be a non-negative integer (ms), got ${String(busyTimeoutMs)}`);
  }
  const synchronous = source.synchronous ?? DEFAULT_SYNCHRONOUS;
  if (!SYNCHRONOUS.has(synchronous)) throw errors.invalid(`synchronous must be NORMAL, FULL or EXTRA, got ${String(synchronous)}`);
  if ((source.database === undefined) === (source.path === undefined)) {
    throw errors.invalid('give exactly one of database (a better-sqlite3 Database you own) and path (a file, or ":memory:")');
  }
  const connection = source.database ? { db: source.database, owned: false } : { db: openFile(source.path!), owned: true };
  try {
    configure(connection.db, busyTimeoutMs, synchronous);
  } catch (error) {
    if (connection.owned) connection.db.close();
    throw errors.unavailable(`cannot configure the SQLite database: ${describe(error)}`, error);
  }
  return connection;
}

function openFile(path: string): Database {
  if (typeof path !== 'string') throw errors.invalid(`path must be a string (a file, or ":memory:"), got ${typeof path}`);
  try {
    if (!isMemoryPath(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
    return new BetterSqlite3(path);
  } catch (error) {
    throw errors.unavailable(`cannot open the SQLite database ${JSON.stringify(path)}: ${describe(error)}`, error);
  }
}

function configure(db: Database, busyTimeoutMs: number, synchronous: SqliteSynchronous): void {
  // busy_timeout first: switching to WAL needs a lock another process may hold for a moment.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // WAL is a property of the file (kept by every later connection); an in-memory database
  // has no log and stays in its own mode.
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
