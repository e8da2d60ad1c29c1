import type { SessionDriver } from '@sessions/core';
import { ConnectionLostError } from './in-flight.js';
import { ReplicationUnconfirmedError } from './replicas.js';

/** ioredis' message for the commands a closed connection leaves without a reply. */
const CONNECTION_CLOSED = 'Connection is closed.';

type Classified = ReturnType<NonNullable<SessionDriver['classifyError']>>;

/**
 * Which Redis failures are the caller's to fix. `WRONGTYPE` means a key under the store's
 * prefix holds something the store never writes there: another program shares the prefix, and
 * retrying cannot help. A dropped connection is an outage like any other, but its message says
 * that the write's outcome is unknown. Everything else (connection refused, timeouts,
 * `MaxRetriesPerRequestError`, `CLUSTERDOWN`, `LOADING`, `OOM`...) is left to the store, which
 * reports `UNAVAILABLE` (retryable) with the driver error as the cause.
 */
export function classifyRedisError(error: unknown): Classified {
  if (error instanceof ConnectionLostError) {
    return { code: 'UNAVAILABLE', message: `Redis call interrupted: ${error.message}` };
  }
  if (error instanceof ReplicationUnconfirmedError) {
    return { code: 'UNAVAILABLE', message: `Redis write not confirmed by replicas (waitForReplicas): ${error.message}` };
  }
  const message = error instanceof Error ? error.message : '';
  if (message === CONNECTION_CLOSED) {
    // A cluster node's connection closed with the request on it (or queued for it).
    return { code: 'UNAVAILABLE', message: `Redis call interrupted: the connection closed before the reply, so a write may or may not have been applied (the outcome is unknown); retrying with the same idempotencyKey is safe, retrying a write without one may apply it twice` };
  }
  if (message.startsWith('WRONGTYPE')) {
    return {
      code: 'INVALID_ARGUMENT',
      message: 'a key under the store\'s keyPrefix holds a value of another type: another program writes under this prefix; give the store a keyPrefix of its own',
    };
  }
  return undefined;
}
