import type { Outcome, RewriteOutcome, RewriteRequest } from '@sessions/core';
import { sessionKey, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { touch } from './fragments.js';
import { notifiedCte } from './notify.js';
import { lockSessionStatement } from './lock-session.js';
import { statement } from './statement.js';

/** Parameters of {@link rewriteStatement}. */
export interface RewriteParams extends SessionKey, Notifies {
  /** The rewrites as one JSON array of `{ seq, body }` (one parameter, no array type needed). */
  entries: string;
  now: number;
}

/**
 * Replaces the stored text of the listed messages that exist (seq and `createdAt` kept), returns
 * the seqs it rewrote, touches the session and notifies its watchers. Runs after
 * {@link lockSessionStatement} in the same transaction, so a message popped or trimmed before is
 * missing, never written back. One row per rewritten seq, or one row with a null seq when none
 * was (the final SELECT starts from `notified`, so the notification is sent either way).
 */
export const rewriteStatement = statement<RewriteParams, { seq: number | null }>(
  (t, $) => `
WITH changed AS (
  UPDATE ${t.messages} m SET message = e.body::json
  FROM json_to_recordset(${$('entries')}::text::json) AS e(seq bigint, body text)
  WHERE m.user_id = ${$('user')} AND m.session_id = ${$('session')} AND m.seq = e.seq
  RETURNING m.seq
),
touched AS (
  UPDATE ${t.sessions} s SET ${touch('s', $('now'))} WHERE s.user_id = ${$('user')} AND s.id = ${$('session')}
),
${notifiedCte(t.channel, $('payload'))}
SELECT changed.seq::float8 AS seq FROM notified LEFT JOIN changed ON true`,
);

/** Rewrites messages of a live session in place, in one transaction. */
export async function rewrite(ctx: DriverContext, request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
  const key = sessionKey(request);
  return ctx.transaction(async (tx) => {
    const [row] = await tx.run(lockSessionStatement, { ...key, now: request.now });
    if (!row || row.expired) return { failure: 'not_found' };
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== row.last_seq) return { failure: 'conflict', lastSeq: row.last_seq };
    const entries = JSON.stringify(request.entries.map((entry) => ({ seq: entry.seq, body: entry.text })));
    const written = new Set<number>();
    for (const row of await tx.run(rewriteStatement, { ...key, entries, now: request.now })) if (row.seq !== null) written.add(row.seq);
    const missing = request.entries.filter((entry) => !written.has(entry.seq)).map((entry) => entry.seq);
    return { rewritten: written.size, missing };
  });
}
