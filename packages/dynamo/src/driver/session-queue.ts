import { sessionSk, userPk } from '../keys.js';

/**
 * Runs the appends that one driver makes to one session one after another. Every append is a
 * conditional write on the session item, so appends of one session racing on the server make
 * all but one fail their condition, read again and retry: 32 of them in flight from one
 * process took dozens of rounds each and some gave up with `CONFLICT`. Queued here, each
 * starts once the previous one is done, from what it left in the session cache: one request
 * each, no lost race. Writers in other processes still race on the server, where the
 * conditions keep every append whole.
 */
export class SessionQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every task queued before it for the same session (whether they succeeded or not). */
  run<T>(userId: string, sessionId: string, task: () => Promise<T>): Promise<T> {
    const key = `${userPk(userId)}\u0000${sessionSk(sessionId)}`;
    const previous = this.tails.get(key);
    const result = previous ? previous.then(task) : task();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
