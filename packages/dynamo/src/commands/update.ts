import type { JsonObject, SessionInfo, UpdateSessionOptions } from '@sessions/core';
import { mergeMetadata } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { conditionFailed } from '../errors.js';
import { LIVE_GENERATION, names } from '../expressions.js';
import { isLive, n, s, toSessionInfo, toSessionRecord } from '../marshal.js';
import { backoff } from '../retry.js';
import { recordKey, touchClauses, updateExpression } from './session-writes.js';

/**
 * `updateSession`: reads the session item, merges the metadata and writes it back on the
 * condition that the stored metadata is still what was read (no lost update between two
 * concurrent merges); retried when another write won.
 */
export async function updateSession<M extends JsonObject>(ctx: StoreContext<M>, userIdInput: string, sessionIdInput: string, options: UpdateSessionOptions): Promise<SessionInfo> {
  const { guard } = ctx;
  const userId = guard.userId(userIdInput);
  const sessionId = guard.sessionId(sessionIdInput);
  if (typeof options !== 'object' || options === null) throw ctx.errors.invalid('updateSession needs an options object { metadata?, ttlMs? }');
  const patch = options.metadata === undefined ? undefined : guard.metadataPatch(options.metadata);
  const ttl = guard.ttlMs(options.ttlMs);
  for (let attempt = 0; ; attempt++) {
    const now = ctx.now();
    const record = await ctx.table.getRecord(userId, sessionId);
    if (!record || !isLive(record, now)) throw ctx.errors.notFound(userId, sessionId);
    const merged = mergeMetadata(record.metadata, patch);
    const encoded = guard.metadataSize(merged);
    const ttlMs = ttl === undefined ? record.ttlMs : ttl;
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
          ':md': s(encoded),
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
      if (!conditionFailed(error) || attempt >= ctx.maxRetries * 4) throw error;
      await backoff(Math.min(attempt, 5), ctx.table.retry);
    }
  }
}
