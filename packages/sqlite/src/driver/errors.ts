import type { SessionDriver } from '@sessions/core';

/** The backend name in the SQLite store's error messages: `[sessions] [sqlite] ...`. */
export const SQLITE_BACKEND = 'sqlite';

type Classified = ReturnType<NonNullable<SessionDriver['classifyError']>>;

/** The `code` of a better-sqlite3 `SqliteError` (`SQLITE_BUSY`, ...), or `undefined` for any other error. */
function sqliteCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'SqliteError') return undefined;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What a thrown SQLite error means for the caller. A value too big for SQLite is the caller's
 * (`TOO_LARGE`); missing tables mean `setup()` was never run, said in so many words; a lock held
 * past the busy timeout, a full disk or an unopenable file are outages (`UNAVAILABLE`, retryable).
 */
export function classifySqliteError(error: unknown): Classified {
  const code = sqliteCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_TOOBIG') return { code: 'TOO_LARGE', message: `SQLite refused a value as too big (${message}); store smaller messages` };
  if (code === 'SQLITE_ERROR' && /no such table/.test(message)) {
    return {
      code: 'UNAVAILABLE',
      message: `the session tables are missing in this database (${message}): run \`await store.setup()\` once (or \`sessions migrate\`)`,
    };
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return {
      code: 'UNAVAILABLE',
      message: `the database stayed locked by another connection for longer than the busy timeout (${message}); the call wrote nothing and may be retried`,
    };
  }
  if (code === 'SQLITE_READONLY') return { code: 'UNAVAILABLE', message: `the database is read-only here (${message}); check the file's permissions` };
  if (code === 'SQLITE_FULL') return { code: 'UNAVAILABLE', message: `the disk is full (${message}); the call wrote nothing` };
  if (error instanceof TypeError && /database connection is not open/.test(message)) {
    return { code: 'UNAVAILABLE', message: 'the better-sqlite3 database passed to the store has been closed by its owner' };
  }
  return undefined;
}
