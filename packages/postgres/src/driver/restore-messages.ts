import type { Outcome, RestoreMessagesRequest } from '@sessions/core';
import { sessionKey, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { notifiedCte } from './notify.js';
import { lockSessionStatement } from './lock-session.js';
import { statement } from './statement.js';

/** Parameters of {@link highestSeqStatement}. */
export type HighestSeqParams = SessionKey;

/** The highest seq a session holds (null when none). */
export const highestSeqStatement = statement<HighestSeqParams, { highest: number | null }>(
  (t, $) => `
SELECT max(seq)::float8 AS highest FROM ${t.messages} WHERE user_id = ${$('user')} AND session_id = ${$('session')}`,
);

/** Parameters of {@link restoreMessagesStatement}. */
export interface RestoreMessagesParams extends SessionKey, Notifies {
  /** The entries as one JSON array of `{ seq, createdAt, body }` (one parameter, no array type needed). */
  entries: string;
}

/**
 * Inserts restored messages with their own seqs and `createdAt`, and counts them into the
 * session's `message_count` (not `lastSeq`, `updatedAt` or expiry), and notifies its watchers.
 */
export const restoreMessagesStatement = statement<RestoreMessagesParams>(
  (t, $) => `
WITH inserted AS (
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT ${$('user')}, ${$('session')}, r.seq, r.body::json, to_timestamp(r.created_at / 1000)
  FROM json_to_recordset(${$('entries')}::text::json) AS r(seq bigint, created_at float8, body text)
  RETURNING 1
),
counted AS (
  UPDATE ${t.sessions} s SET message_count = s.message_count + (SELECT count(*) FROM inserted)
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')}
),
${notifiedCte(t.channel, $('payload'))}
SELECT 1 AS done FROM notified`,
);

/**
 * Writes entries with their own seqs and `createdAt` into a live session, atomically: one
 * transaction that locks the session, checks the seqs against what it holds, and inserts.
 */
export async function restoreMessages(ctx: DriverContext, request: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
  const key = sessionKey(request);
  return ctx.transaction(async (tx) => {
    const [session] = await tx.run(lockSessionStatement, { ...key, now: request.now });
    if (!session || session.expired) return { failure: 'not_found' };
    const first = request.entries[0];
    const last = request.entries[request.entries.length - 1];
    if (!first || !last) return undefined;
    const [held] = await tx.run(highestSeqStatement, key);
    const highestHeld = held?.highest ?? 0;
    if (first.seq <= highestHeld || last.seq > session.last_seq) return { failure: 'out_of_bounds', highestHeld, lastSeq: session.last_seq };
    const entries = JSON.stringify(request.entries.map((entry) => ({ seq: entry.seq, created_at: entry.createdAt, body: entry.text })));
    await tx.run(restoreMessagesStatement, { ...key, entries });
    return undefined;
  });
}
