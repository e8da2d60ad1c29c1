import type { CreateRequest, Outcome, SessionInfo } from '@sessions/core';
import { sessionKey, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { at, expiry, sessionColumns, type SessionRow } from './fragments.js';
import { fullId } from './ids.js';
import { notifiedCte } from './notify.js';
import { resetExpired } from './reset-expired.js';
import { toSessionInfo } from './rows.js';
import { statement } from './statement.js';

/** Parameters of {@link createStatement}. */
export interface CreateParams extends SessionKey, Notifies {
  /** The ids as given when their key columns hold storage keys, else null. */
  userFull: string | null;
  sessionFull: string | null;
  /** The metadata's JSON text. */
  metadata: string;
  now: number;
  /** The session's TTL (ms), null = never expires. */
  ttlMs: number | null;
}

/**
 * Inserts a new, empty session and notifies its watchers; no row back (and no notification)
 * when the id is taken (live or expired: the caller resets an expired one and runs it again).
 */
export const createStatement = statement<CreateParams, SessionRow>(
  (t, $) => `
WITH created AS (
INSERT INTO ${t.sessions} AS s (user_id, id, user_id_full, id_full, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
VALUES (${$('user')}, ${$('session')}, ${$('userFull')}::text, ${$('sessionFull')}::text, ${$('metadata')}::text::json,
  ${at($('now'))}, ${at($('now'))}, ${expiry(`${$('ttlMs')}::bigint`, $('now'))}, ${$('ttlMs')}::bigint, 0, 0)
ON CONFLICT (user_id, id) DO NOTHING
RETURNING ${sessionColumns('s')}
),
${notifiedCte(t.channel, $('payload'), 'created')}
SELECT created.* FROM created, notified`,
);

/** The parameters that create the session `request` names. */
export function createParams(request: CreateRequest): CreateParams {
  return {
    ...sessionKey(request),
    userFull: fullId(request.userId),
    sessionFull: fullId(request.sessionId),
    metadata: JSON.stringify(request.metadata),
    now: request.now,
    ttlMs: request.ttlMs,
  };
}

/** Creates a session; an expired one with the same id is deleted first. */
export async function create(ctx: DriverContext, request: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>> {
  const params = createParams(request);
  let [row] = await ctx.run(createStatement, params);
  if (!row && (await resetExpired(ctx, params))) [row] = await ctx.run(createStatement, params);
  return row ? toSessionInfo(row) : { failure: 'already_exists' };
}
