/** The backend name in error messages: `[sessions] [postgres] ...`. */
export const BACKEND = 'postgres';

/** The codes {@link classifyError} may give. */
export type ClassifiedCode = 'INVALID_ARGUMENT' | 'TOO_LARGE' | 'UNAVAILABLE' | 'CONFLICT';

/**
 * A fault the driver itself detects and already knows the class of (a forged cursor, a schema
 * newer than this code, a race lost too many times); {@link classifyError} passes its code on.
 */
export class PostgresDriverError extends Error {
  override readonly name = 'PostgresDriverError';
  constructor(
    readonly code: ClassifiedCode,
    message: string,
  ) {
    super(message);
  }
}

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

/** The SQLSTATE (or socket code) of a client error, if it has one. */
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
 * Says what a thrown client error (postgres.js or PGlite) means: a value PostgreSQL refused
 * (SQLSTATE class 22) is the caller's mistake, a program limit (54xxx) a value too large, the
 * rest an outage with a message a person can act on. Messages name the SQLSTATE only: client
 * messages and details can quote the caller's data (a key's value, a statement's parameters),
 * so they never go into ours; the client error stays the `cause`.
 */
export function classifyError(error: unknown): { code: ClassifiedCode; message: string } | undefined {
  if (error instanceof PostgresDriverError) return { code: error.code, message: error.message };
  const code = sqlState(error);
  if (code?.startsWith('22')) {
    return { code: 'INVALID_ARGUMENT', message: `PostgreSQL refused a value of the call (SQLSTATE ${code}): the call cannot succeed as given` };
  }
  if (code?.startsWith('54')) {
    return { code: 'TOO_LARGE', message: `the call exceeds a PostgreSQL limit (SQLSTATE ${code})` };
  }
  if (code === '42P01' || code === '3F000' || code === '42703') {
    return {
      code: 'UNAVAILABLE',
      message: `the store's tables are missing or out of date in this schema (SQLSTATE ${code}); run await store.setup() once (or npx sessions migrate) before use`,
    };
  }
  if (code && CONNECTION_CODES.has(code)) {
    return { code: 'UNAVAILABLE', message: `PostgreSQL is unreachable (${code}); check the connection URL and that the server is up; the call may be retried` };
  }
  if (code && /^(08|53|57|58|40)/.test(code)) {
    return { code: 'UNAVAILABLE', message: `PostgreSQL is unavailable or busy (SQLSTATE ${code}); the call may be retried` };
  }
  if (error instanceof Error && /closed|ended|terminat/i.test(error.message) && !code) {
    return { code: 'UNAVAILABLE', message: 'the database client is closed or its connection ended; the call may be retried' };
  }
  return { code: 'UNAVAILABLE', message: `PostgreSQL failed with ${code ? `SQLSTATE ${code}` : 'a client error'}; the call may be retried (the client error is the cause)` };
}
