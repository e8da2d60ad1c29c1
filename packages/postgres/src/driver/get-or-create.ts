import type { GetOrCreateRequest, SessionWithEntries } from '@sessions/core';
import { MAX_ATTEMPTS, type DriverContext } from './context.js';
import { createParams, createStatement } from './create.js';
import { PostgresDriverError } from './errors.js';
import { get } from './get.js';
import { resetExpired } from './reset-expired.js';
import { toSessionInfo } from './rows.js';

/**
 * Reads a live session, or creates it: a read, then an insert that does nothing when a
 * concurrent caller created it first (then the next round reads theirs). An expired session
 * with the id is deleted so the insert can take its place.
 */
export async function getOrCreate(ctx: DriverContext, request: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }> {
  const params = createParams(request);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await get(ctx, request);
    if (existing) return { ...existing, created: false };
    const [row] = await ctx.run(createStatement, params);
    if (row) return { session: toSessionInfo(row), entries: [], created: true };
    await resetExpired(ctx, params);
  }
  throw new PostgresDriverError('UNAVAILABLE', `getOrCreateSession lost the race for its session ${MAX_ATTEMPTS} times; retry later`);
}
