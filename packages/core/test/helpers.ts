import { expect } from 'vitest';
import { InMemorySessionStore, isSessionStoreError, type InMemorySessionStoreOptions, type SessionStoreErrorCode } from '../src/index.js';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** A store on a fake clock, with the clock. */
export function storeWithClock(options: InMemorySessionStoreOptions = {}) {
  const clock = new FakeClock();
  return { clock, store: new InMemorySessionStore({ clock: clock.now, ...options }) };
}

/** Asserts the promise rejects with a SessionStoreError of `code`; returns it. */
export async function expectCode(promise: Promise<unknown>, code: SessionStoreErrorCode) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSessionStoreError(error), `expected a SessionStoreError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}
