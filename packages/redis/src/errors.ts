import { MAX_METADATA_BYTES, type SessionStoreError, type StoreErrors } from '@sessions/core';

/** What a script's own error reply carries, e.g. `SESSIONS_CONFLICT 7`. */
export interface ScriptErrorContext {
  userId: string;
  sessionId: string;
  /** The session an `EXISTS` reply is about when it is not `sessionId` (the target of a fork). */
  targetSessionId?: string;
  /** The caller's `expectedLastSeq`, for the CONFLICT message. */
  expectedLastSeq?: number;
  /** Builds the INVALID_ARGUMENT of a `SESSIONS_BOUNDS <highestHeld> <lastSeq>` reply. */
  bounds?: (highestHeld: number, lastSeq: number) => SessionStoreError;
}

// Redis prefixes "ERR " to an error reply that is a single word.
const SCRIPT_ERROR = /^(?:ERR )?SESSIONS_([A-Z_]+)(?: (.*))?$/;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Maps an error raised by a Redis call to a `SessionStoreError`. The scripts' own error
 * replies (`SESSIONS_<CODE> <args>`) become the typed codes; everything else (connection
 * refused or closed, timeouts, `MaxRetriesPerRequestError`, `CLUSTERDOWN`, `LOADING`, `OOM`...)
 * is `UNAVAILABLE` with the driver error as `cause`. Messages name no message content.
 */
export function mapRedisError(errors: StoreErrors, error: unknown, context?: ScriptErrorContext): SessionStoreError {
  const match = context ? SCRIPT_ERROR.exec(messageOf(error)) : null;
  if (context && match) {
    const args = (match[2] ?? '').split(' ').map(Number);
    switch (match[1]) {
      case 'NOT_FOUND':
        return errors.notFound(context.userId, context.sessionId);
      case 'EXISTS':
        return errors.alreadyExists(context.userId, context.targetSessionId ?? context.sessionId);
      case 'CONFLICT':
        return errors.conflict(context.expectedLastSeq ?? -1, args[0] ?? -1);
      case 'TOO_LARGE':
        return errors.tooLarge(`metadata would be ${args[0]} bytes encoded; the limit is ${MAX_METADATA_BYTES}`);
      case 'BOUNDS':
        if (context.bounds) return context.bounds(args[0] ?? 0, args[1] ?? 0);
    }
  }
  const name = error instanceof Error ? error.name : 'Error';
  const detail = (messageOf(error).split('\n')[0] ?? '').slice(0, 200);
  return errors.unavailable(
    `Redis call failed (${name}: ${detail}); check that the server is reachable and healthy (the client's host, port and cluster state); the driver error is the cause`,
    withoutCommandArgs(error),
  );
}

/**
 * ioredis attaches the failed command (with its arguments) to some errors; for the scripts
 * those arguments hold message JSON and idempotency keys. Drop them from the cause so logging
 * an error never writes conversation content; the command's name stays.
 */
function withoutCommandArgs(error: unknown): unknown {
  if (!(error instanceof Error) || !('command' in error)) return error;
  const command = (error as { command?: { name?: unknown } }).command;
  Object.defineProperty(error, 'command', {
    value: { name: command?.name, args: '[redacted by @sessions/redis]' },
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return error;
}
