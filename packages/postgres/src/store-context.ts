import type { Clock, InputGuard, JsonObject, RestoreGuard } from '@sessions/core';
import type { SqlDriver } from './driver.js';
import type { Queries } from './queries/index.js';

/** What the store's operations share: the client, the statements, the input checks and the clock. */
export interface StoreContext<M extends JsonObject = JsonObject> {
  db: SqlDriver;
  q: Queries;
  guard: InputGuard<M>;
  restore: RestoreGuard<M>;
  clock: Clock;
  /** The store's default TTL for new sessions; `null` when they never expire. */
  defaultTtlMs: number | null;
}

/** How many times an operation re-runs after losing a race, before giving up with `UNAVAILABLE`. */
export const MAX_ATTEMPTS = 20;
