import type { InputGuard, JsonObject, RestoreGuard, StoreErrors } from '@sessions/core';
import type { SessionCache } from './session-cache.js';
import type { TableClient } from './table-client.js';

/** What every command needs: the table, the input checks, the error factory and the clock. */
export interface StoreContext<M extends JsonObject = JsonObject> {
  table: TableClient;
  guard: InputGuard<M>;
  restore: RestoreGuard<M>;
  errors: StoreErrors;
  /** The store's clock, ms since the epoch. */
  now(): number;
  /** The store's default TTL; `null` when sessions never expire by default. */
  defaultTtlMs: number | null;
  /** How many times an optimistic write is retried after losing a race. */
  maxRetries: number;
  /** What this store remembers of the sessions it touched last (never trusted without a condition or a check). */
  cache: SessionCache;
}
