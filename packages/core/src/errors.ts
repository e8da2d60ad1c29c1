/** Every code a {@link SessionStoreError} can carry. */
export const SESSION_STORE_ERROR_CODES = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'INVALID_ARGUMENT',
  'TOO_LARGE',
  'UNAVAILABLE',
  'DECRYPT_FAILED',
  'CLOSED',
] as const;

/** What went wrong, as a stable machine-readable code. */
export type SessionStoreErrorCode = (typeof SESSION_STORE_ERROR_CODES)[number];

/** Codes that a retry may cure (the same call may succeed later). */
const RETRYABLE: ReadonlySet<SessionStoreErrorCode> = new Set(['UNAVAILABLE', 'CONFLICT']);

/** Options of the {@link SessionStoreError} constructor. */
export interface SessionStoreErrorOptions {
  /** The backend that failed (`"memory"`, `"redis"`, ...): part of the message prefix. */
  backend?: string;
  /** The underlying error (a driver error for `UNAVAILABLE`). */
  cause?: unknown;
}

/**
 * The one error type every store throws. Switch on `code`; `retryable` says whether the same
 * call may succeed later (`UNAVAILABLE`, `CONFLICT`) and `fault` whether the caller (`client`)
 * or the server side (`server`) is to blame.
 */
/**
 * The brand every {@link SessionStoreError} carries, registered globally so an error made by
 * one copy of core is recognised by another (npm nests a second copy when versions differ).
 */
const BRAND: unique symbol = Symbol.for('@sessions/core/SessionStoreError') as never;

export class SessionStoreError extends Error {
  readonly [BRAND] = true;
  override readonly name = 'SessionStoreError';
  readonly code: SessionStoreErrorCode;
  readonly backend: string;
  readonly retryable: boolean;
  readonly fault: 'client' | 'server';

  constructor(code: SessionStoreErrorCode, message: string, options: SessionStoreErrorOptions = {}) {
    const backend = options.backend ?? 'core';
    const prefix = `[sessions] [${backend}] `;
    super(message.startsWith('[sessions]') ? message : prefix + message, { cause: options.cause });
    this.code = code;
    this.backend = backend;
    this.retryable = RETRYABLE.has(code);
    this.fault = code === 'UNAVAILABLE' ? 'server' : 'client';
  }
}

/** `true` when `error` is a {@link SessionStoreError}, optionally with the given code. */
export function isSessionStoreError(error: unknown, code?: SessionStoreErrorCode): error is SessionStoreError {
  if (typeof error !== 'object' || error === null || (error as { [BRAND]?: unknown })[BRAND] !== true) return false;
  return code === undefined || (error as SessionStoreError).code === code;
}

/**
 * Builds the errors of one backend, so every message carries the same `[sessions] [<backend>]`
 * prefix. `storeErrors('redis').notFound('u', 's')`.
 */
export function storeErrors(backend: string) {
  const make = (code: SessionStoreErrorCode, message: string, cause?: unknown) =>
    new SessionStoreError(code, message, { backend, cause });
  return {
    make,
    notFound: (userId: string, sessionId: string) =>
      make('NOT_FOUND', `session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} does not exist (or has expired); create it first or append with create: true`),
    alreadyExists: (userId: string, sessionId: string) =>
      make('ALREADY_EXISTS', `session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} already exists; pick another sessionId or use getOrCreateSession`),
    conflict: (expected: number, actual: number) =>
      make('CONFLICT', `expectedLastSeq was ${expected} but the session's lastSeq is ${actual}; re-read the session and retry`),
    invalid: (message: string, cause?: unknown) => make('INVALID_ARGUMENT', message, cause),
    tooLarge: (message: string) => make('TOO_LARGE', message),
    unavailable: (message: string, cause: unknown) => make('UNAVAILABLE', message, cause),
    closed: () => make('CLOSED', 'the store is closed; create a new store instead of reusing a closed one'),
  };
}

/** The error factory {@link storeErrors} returns. */
export type StoreErrors = ReturnType<typeof storeErrors>;
