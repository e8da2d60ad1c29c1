import { isSessionStoreError, storeErrors, type SessionStoreError } from '@sessions/core';

/** The backend name in error messages: `[sessions] [postgres] ...`. */
export const BACKEND = 'postgres';

/** The store's error factory. */
export const errors = storeErrors(BACKEND);

// Node socket errors and postgres.js's own connection codes: the server is out of reach.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** The SQLSTATE (or socket code) of a driver error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** `true` for a unique violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/**
 * Turns anything a driver (postgres.js or PGlite) threw during `operation` into a
 * `SessionStoreError`, keeping the driver error as `cause`. The message names the operation and
 * the SQLSTATE only: driver messages and details can quote the caller's data (a duplicate key's
 * value, a statement's parameters), so they never go into ours.
 */
export function mapDriverError(error: unknown, operation: string): SessionStoreError {
  if (isSessionStoreError(error)) return error;
  const code = sqlState(error);
  if (code === '23505') {
    return errors.make('ALREADY_EXISTS', `${operation} hit a unique constraint (SQLSTATE 23505): the row already exists`, error);
  }
  if (code === '42P01' || code === '3F000' || code === '42703') {
    return errors.unavailable(
      `${operation} failed: the store's tables are missing or out of date in this schema (SQLSTATE ${code}); run store.migrate() once before use`,
      error,
    );
  }
  if (code && CONNECTION_CODES.has(code)) {
    return errors.unavailable(`${operation} failed: PostgreSQL is unreachable (${code}); check the connection URL and that the server is up`, error);
  }
  if (code && /^(08|53|57|58|40)/.test(code)) {
    return errors.unavailable(`${operation} failed: PostgreSQL is unavailable or busy (SQLSTATE ${code}); retry later`, error);
  }
  if (error instanceof Error && /closed|ended|terminat/i.test(error.message) && !code) {
    return errors.unavailable(`${operation} failed: the database client is closed or its connection ended`, error);
  }
  return errors.unavailable(`${operation} failed with ${code ? `SQLSTATE ${code}` : 'a driver error'}; see the error's cause`, error);
}
