import { forkMetadata, utf8Length, type ForkRequest, type JsonObject, type Outcome, type SessionInfo } from '@sessions/core';
import { sessionKey, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { at, expiry, live, sessionColumns, type SessionRow } from './fragments.js';
import { fullId, storageKey } from './ids.js';
import { notifiedCte, sessionPayload } from './notify.js';
import { resetExpired } from './reset-expired.js';
import { toSessionInfo } from './rows.js';
import { statement } from './statement.js';

/** Parameters of {@link lockForkSourceStatement}. */
export interface ForkSourceParams extends SessionKey {
  now: number;
}

/**
 * Locks a live fork source against writes (a share lock: other forks and reads go on) and
 * reads what the fork copies.
 */
export const lockForkSourceStatement = statement<ForkSourceParams, { metadata: string; ttl_ms: number | null; last_seq: number }>(
  (t, $) => `
SELECT s.metadata::text AS metadata, s.ttl_ms::float8 AS ttl_ms, s.last_seq::float8 AS last_seq
FROM ${t.sessions} s WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND ${live('s', $('now'))} FOR SHARE`,
);

/** Parameters of {@link forkStatement}. */
export interface ForkParams extends SessionKey, Notifies {
  /** The new session's key and, when that is a storage key, its id as given. (`payload` is the new session's.) */
  target: string;
  targetFull: string | null;
  uptoSeq: number;
  /** The fork's metadata JSON text. */
  metadata: string;
  now: number;
  ttlMs: number | null;
}

/**
 * Creates the fork and copies the source's messages up to `uptoSeq` (same seqs, same
 * `createdAt`) in one statement, after {@link lockForkSourceStatement} in the same transaction,
 * and notifies the new session's watchers. No row back when the target id is taken.
 */
export const forkStatement = statement<ForkParams, SessionRow>(
  (t, $) => `
WITH target AS (
  INSERT INTO ${t.sessions} AS s (user_id, id, user_id_full, id_full, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
  SELECT src.user_id, ${$('target')}, src.user_id_full, ${$('targetFull')}::text, ${$('metadata')}::text::json, ${at($('now'))}, ${at($('now'))},
    ${expiry(`${$('ttlMs')}::bigint`, $('now'))}, ${$('ttlMs')}::bigint, ${$('uptoSeq')}::bigint,
    (SELECT count(*) FROM ${t.messages} WHERE user_id = ${$('user')} AND session_id = ${$('session')} AND seq <= ${$('uptoSeq')}::bigint)
  FROM ${t.sessions} src WHERE src.user_id = ${$('user')} AND src.id = ${$('session')}
  ON CONFLICT (user_id, id) DO NOTHING
  RETURNING ${sessionColumns('s')}
),
copied AS (
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT ${$('user')}, ${$('target')}, m.seq, m.message, m.created_at FROM ${t.messages} m
  WHERE m.user_id = ${$('user')} AND m.session_id = ${$('session')} AND m.seq <= ${$('uptoSeq')}::bigint AND EXISTS (SELECT 1 FROM target)
),
${notifiedCte(t.channel, $('payload'), 'target')}
SELECT target.* FROM target, notified`,
);

/**
 * Forks a live session in one transaction: a share lock on the source (no write can slip in
 * while its messages are copied), then one statement creates the target and copies messages.
 * An expired session holding the target id is deleted first.
 */
export async function fork(ctx: DriverContext, request: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>> {
  const key = sessionKey(request);
  const target = storageKey(request.newSessionId);
  await resetExpired(ctx, { user: key.user, session: target, now: request.now });
  return ctx.transaction(async (tx) => {
    const [source] = await tx.run(lockForkSourceStatement, { ...key, now: request.now });
    if (!source) return { failure: 'not_found' };
    const upto = Math.min(request.uptoSeq ?? source.last_seq, source.last_seq);
    const metadata = JSON.stringify(forkMetadata(JSON.parse(source.metadata) as JsonObject, request.sessionId, upto, request.patch));
    const bytes = utf8Length(metadata);
    if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    const [row] = await tx.run(forkStatement, {
      ...key,
      payload: sessionPayload(key.user, target),
      target,
      targetFull: fullId(request.newSessionId),
      uptoSeq: upto,
      metadata,
      now: request.now,
      ttlMs: source.ttl_ms,
    });
    return row ? toSessionInfo(row) : { failure: 'already_exists' };
  });
}
