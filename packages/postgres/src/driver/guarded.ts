import { MAX_ATTEMPTS, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { PostgresDriverError } from './errors.js';
import type { Statement } from './statement.js';

/** Parameters of a guarded statement (pop, clear). */
export interface GuardedParams extends SessionKey, Notifies {
  now: number;
}

/** What a guarded statement returns: whether the session was live, and whether it acted. */
export interface GuardedRow {
  [column: string]: unknown;
  live: boolean;
  fresh: boolean;
}

/**
 * Runs a statement that acts only on the session version its snapshot saw (compared by
 * `xmin` after taking the row lock). When another writer got in while it waited for the lock
 * (live but not fresh), it runs again on a new snapshot. `null` for a missing or expired session.
 */
export async function runGuarded<R extends GuardedRow>(ctx: DriverContext, statement: Statement<GuardedParams, R>, params: GuardedParams, operation: string): Promise<R | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [row] = await ctx.run(statement, params);
    if (!row?.live) return null;
    if (row.fresh) return row;
  }
  throw new PostgresDriverError('UNAVAILABLE', `${operation} lost the race for its session ${MAX_ATTEMPTS} times; retry later`);
}
