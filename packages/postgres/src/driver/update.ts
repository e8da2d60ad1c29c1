import { mergeMetadata, utf8Length, type JsonObject, type Outcome, type SessionInfo, type UpdateRequest } from '@sessions/core';
import { sessionKey, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { at, expiry, sessionColumns, type SessionRow } from './fragments.js';
import { notifiedCte } from './notify.js';
import { lockSessionStatement } from './lock-session.js';
import { toSessionInfo } from './rows.js';
import { statement } from './statement.js';

/** Parameters of {@link updateStatement}. */
export interface UpdateParams extends SessionKey, Notifies {
  /** The merged metadata's JSON text. */
  metadata: string;
  now: number;
  ttlMs: number | null;
}

/** Writes the merged metadata and TTL of a locked session, bumps `updatedAt`, slides the expiry, notifies watchers. */
export const updateStatement = statement<UpdateParams, SessionRow>(
  (t, $) => `
WITH updated AS (
UPDATE ${t.sessions} AS s SET metadata = ${$('metadata')}::text::json, ttl_ms = ${$('ttlMs')}::bigint, updated_at = ${at($('now'))},
  expires_at = ${expiry(`${$('ttlMs')}::bigint`, $('now'))}
WHERE s.user_id = ${$('user')} AND s.id = ${$('session')}
RETURNING ${sessionColumns('s')}
),
${notifiedCte(t.channel, $('payload'), 'updated')}
SELECT updated.* FROM updated, notified`,
);

/**
 * Merges metadata and/or resets the TTL of a live session, in a transaction holding the row
 * lock: the merge happens here, and its size is checked before anything is written.
 */
export async function update(ctx: DriverContext, request: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>> {
  const key = sessionKey(request);
  return ctx.transaction(async (tx) => {
    const [current] = await tx.run(lockSessionStatement, { ...key, now: request.now });
    if (!current || current.expired) return { failure: 'not_found' };
    let metadata = current.metadata;
    if (request.patch) {
      metadata = JSON.stringify(mergeMetadata(JSON.parse(current.metadata) as JsonObject, request.patch));
      const bytes = utf8Length(metadata);
      if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    }
    const ttlMs = request.ttlMs === undefined ? current.ttl_ms : request.ttlMs;
    const [row] = await tx.run(updateStatement, { ...key, metadata, now: request.now, ttlMs });
    return row ? toSessionInfo(row) : { failure: 'not_found' };
  });
}
