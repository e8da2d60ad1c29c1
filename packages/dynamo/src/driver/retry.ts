import { isThrottling, isTransactionConflict } from './errors.js';

/** How {@link withRetry} retries. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff in ms; doubled on each retry, with full jitter. @default 10 */
  baseDelayMs?: number;
  /** Longest single backoff in ms. @default 500 */
  maxDelayMs?: number;
}

/** Sleeps a jittered exponential backoff for retry number `attempt` (0-based). */
export function backoff(attempt: number, policy: RetryPolicy): Promise<void> {
  const cap = Math.min(policy.maxDelayMs ?? 500, (policy.baseDelayMs ?? 10) * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
}

/**
 * Runs `call`, retrying throttled requests and transactions cancelled by a conflicting
 * transaction, with jittered backoff, at most `maxRetries` times. The last error is rethrown
 * as is (the caller maps it: throttling → `UNAVAILABLE`, conflict → `CONFLICT`).
 */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.maxRetries || !(isThrottling(error) || isTransactionConflict(error))) throw error;
      await backoff(attempt, policy);
    }
  }
}
