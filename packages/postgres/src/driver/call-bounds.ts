import { PostgresDriverError } from './errors.js';

/** The default of `callTimeoutMs`: how long one statement or transaction of the driver may take, waiting included. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/**
 * Bounds the work the driver hands a postgres.js pool: at most `maxConcurrent` statements or
 * transactions at once (one per connection of the pool), each ending within `timeoutMs` of its
 * call, the wait for a free slot included.
 *
 * Why: postgres.js 3.4.9 leaves a query that waits for a connection pending forever when a busy
 * connection of a full pool is cut (porsager/postgres#970). Keeping its own queue empty avoids
 * that in the common case; the deadline ends a call in every case, with `UNAVAILABLE`.
 */
export class CallBounds {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Runs `start` once a slot is free and settles with its result, or rejects with
   * `UNAVAILABLE` at the deadline. `start` gets `expired`, true once the deadline has passed (a
   * transaction checks it before each statement, so a late one rolls back), and returns the
   * work with an optional `cancel` (called at the deadline). A result that arrives after the
   * deadline is dropped: the call has already failed, and nothing else awaits that promise.
   */
  run<T>(start: (expired: () => boolean) => { done: Promise<T>; cancel?: () => void }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let holds = false;
      let cancel: (() => void) | undefined;
      const release = () => {
        if (!holds) return;
        holds = false;
        this.active--;
        this.waiting.shift()?.();
      };
      const timer = setTimeout(() => {
        settled = true;
        const queued = this.waiting.indexOf(begin);
        if (queued >= 0) this.waiting.splice(queued, 1);
        // The slot is given back at once: the pool may never answer this statement (the hang
        // above), and a slot held forever would turn one lost reply into a store that fails
        // every call.
        release();
        cancel?.();
        reject(
          new PostgresDriverError(
            'UNAVAILABLE',
            `PostgreSQL did not answer within ${this.timeoutMs} ms (callTimeoutMs); a write may or may not have been applied: retry it with the same idempotency key`,
          ),
        );
      }, this.timeoutMs);
      const begin = () => {
        if (settled) return;
        holds = true;
        this.active++;
        let work: { done: Promise<T>; cancel?: () => void };
        try {
          work = start(() => settled);
        } catch (error) {
          work = { done: Promise.reject(error as Error) };
        }
        cancel = work.cancel;
        work.done.then(
          (value) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            release();
            resolve(value);
          },
          (error: unknown) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            release();
            reject(error as Error);
          },
        );
      };
      if (this.active < this.maxConcurrent) begin();
      else this.waiting.push(begin);
    });
  }
}
