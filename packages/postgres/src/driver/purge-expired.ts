import type { At } from '@sessions/core';
import type { Runner } from './context.js';
import { at, limit } from './fragments.js';
import { statement } from './statement.js';

/** Parameters of {@link purgeExpiredStatement}. */
export interface PurgeExpiredParams {
  now: number;
  batchSize: number;
}

/**
 * Deletes one batch of expired sessions (messages and keys by cascade). Rows another
 * transaction holds are skipped rather than waited for, and each batch is its own short
 * statement, so a purge never holds many locks for long.
 */
export const purgeExpiredStatement = statement<PurgeExpiredParams, { deleted: number }>(
  (t, $) => `
WITH doomed AS (
  SELECT user_id, id FROM ${t.sessions}
  WHERE expires_at <= ${at($('now'))}
  ORDER BY expires_at LIMIT ${limit($('batchSize'))}
  FOR UPDATE SKIP LOCKED
)
DELETE FROM ${t.sessions} s USING doomed d
WHERE s.user_id = d.user_id AND s.id = d.id
RETURNING 1 AS deleted`,
);

/** Deletes expired sessions in batches of `batchSize` until a batch comes back short; returns how many. */
export async function purgeExpired(runner: Runner, request: { batchSize: number } & At): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await runner.run(purgeExpiredStatement, request);
    total += rows.length;
    if (rows.length < request.batchSize) return total;
  }
}
