import type { SessionCache } from './session-cache.js';
import type { SessionQueue } from './session-queue.js';
import type { TableClient } from './table-client.js';

/** What every operation of the driver works with. */
export interface DriverContext {
  /** The table, its SDK calls retried on throttling and transaction conflicts. */
  table: TableClient;
  /** What the driver remembers of the sessions it touched last (never trusted without a condition or a check). */
  cache: SessionCache;
  /** Appends of one session through this driver, one after another. */
  queue: SessionQueue;
  /** How many times an optimistic write is retried after losing a race (the bound is four times this). */
  maxRetries: number;
}

/** The most attempts of an optimistic write before it gives up with `CONFLICT`. */
export function maxAttempts(ctx: DriverContext): number {
  return ctx.maxRetries * 4;
}
