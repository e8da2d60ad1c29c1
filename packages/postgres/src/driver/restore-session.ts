import type { Outcome, RestoreSessionRequest } from '@sessions/core';
import type { DriverContext, Notifies, SessionKey } from './context.js';
import { at } from './fragments.js';
import { fullId, storageKey } from './ids.js';
import { notifiedCte, sessionPayload } from './notify.js';
import { resetExpired } from './reset-expired.js';
import { statement } from './statement.js';

/** Parameters of {@link restoreSessionStatement}. */
export interface RestoreSessionParams extends SessionKey, Notifies {
  userFull: string | null;
  sessionFull: string | null;
  /** The metadata's JSON text. */
  metadata: string;
  /** ms since the epoch. */
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  ttlMs: number | null;
  lastSeq: number;
}

/**
 * Creates a session exactly as a snapshot describes it (times, metadata, lastSeq), with no
 * messages, and notifies its watchers. No row back when the id is taken.
 */
export const restoreSessionStatement = statement<RestoreSessionParams, { created: number }>(
  (t, $) => `
WITH restored AS (
INSERT INTO ${t.sessions} (user_id, id, user_id_full, id_full, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
VALUES (${$('user')}, ${$('session')}, ${$('userFull')}::text, ${$('sessionFull')}::text, ${$('metadata')}::text::json,
  ${at($('createdAt'))}, ${at($('updatedAt'))}, CASE WHEN ${$('expiresAt')}::float8 IS NULL THEN NULL ELSE ${at($('expiresAt'))} END,
  ${$('ttlMs')}::bigint, ${$('lastSeq')}::bigint, 0)
ON CONFLICT (user_id, id) DO NOTHING
RETURNING 1 AS created
),
${notifiedCte(t.channel, $('payload'), 'restored')}
SELECT restored.created FROM restored, notified`,
);

/** Creates a session as a snapshot describes it; an expired one with the id is deleted first. */
export async function restoreSession(ctx: DriverContext, request: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>> {
  const s = request.snapshot;
  const user = storageKey(request.userId);
  const session = storageKey(s.id);
  const params: RestoreSessionParams = {
    user,
    session,
    payload: sessionPayload(user, session),
    userFull: fullId(request.userId),
    sessionFull: fullId(s.id),
    metadata: JSON.stringify(s.metadata),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    expiresAt: s.expiresAt,
    // The TTL later writes slide by: every write sets expiresAt = updatedAt + ttl, so the
    // snapshot's own difference is the source's TTL.
    ttlMs: s.expiresAt === null ? null : Math.max(1, s.expiresAt - s.updatedAt),
    lastSeq: s.lastSeq,
  };
  let rows = await ctx.run(restoreSessionStatement, params);
  if (rows.length === 0 && (await resetExpired(ctx, { ...params, now: request.now }))) rows = await ctx.run(restoreSessionStatement, params);
  return rows.length === 0 ? { failure: 'already_exists' } : undefined;
}
