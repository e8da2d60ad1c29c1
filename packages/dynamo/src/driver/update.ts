import { mergeMetadata, utf8Length, type Outcome, type SessionInfo, type UpdateRequest } from '@sessions/core';
import { isLive, n, s, toSessionInfo, toSessionRecord } from '../marshal.js';
import { lostRace } from './append.js';
import { maxAttempts, type DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { LIVE_GENERATION, names } from './expressions.js';
import { backoff } from './retry.js';
import { recordKey, touchClauses, updateExpression } from './session-writes.js';

/**
 * `update`: reads the session item, merges the metadata and writes it back with one
 * `UpdateItem` on the condition that the stored metadata is still what was read (no lost
 * update between two concurrent merges); read again when another write won.
 */
export async function update(ctx: DriverContext, request: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>> {
  const { userId, sessionId, now } = request;
  for (let attempt = 0; ; attempt++) {
    const record = await ctx.table.getRecord(userId, sessionId);
    if (!record || !isLive(record, now)) return { failure: 'not_found' };
    const merged = JSON.stringify(mergeMetadata(record.metadata, request.patch));
    const bytes = utf8Length(merged);
    if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    const ttlMs = request.ttlMs === undefined ? record.ttlMs : request.ttlMs;
    const touch = touchClauses({ ...record, ttlMs }, now);
    const set = ['#metadata = :md', ...touch.set];
    const remove = [...touch.remove];
    if (ttlMs === null) remove.push('#ttlMs');
    else set.push('#ttlMs = :ttlMs');
    try {
      const out = await ctx.table.update({
        Key: recordKey(record),
        UpdateExpression: updateExpression(set, remove),
        ConditionExpression: `${LIVE_GENERATION} AND #metadata = :oldMd`,
        ExpressionAttributeNames: { ...touch.names, ...names('PK', 'gen', 'metadata', 'ttlMs') },
        ExpressionAttributeValues: {
          ...touch.values,
          ':md': s(merged),
          ':oldMd': s(JSON.stringify(record.metadata)),
          ':gen': s(record.gen),
          ...(ttlMs === null ? {} : { ':ttlMs': n(ttlMs) }),
        },
        ReturnValues: 'ALL_NEW',
      });
      const updated = toSessionRecord(out.Attributes ?? {});
      ctx.cache.remember(updated);
      return toSessionInfo(updated);
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      if (attempt >= maxAttempts(ctx)) throw lostRace('updateSession', sessionId, attempt);
      await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
}
