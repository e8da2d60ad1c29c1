import { forkMetadata, utf8Length, type ForkRequest, type Outcome, type SessionInfo } from '@sessions/core';
import { newGeneration } from '../keys.js';
import { isLive, messageItem, n, toSessionInfo, type Item, type SessionRecord } from '../marshal.js';
import type { DriverContext } from './context.js';
import { putNewRecord } from './create.js';
import { deleteSessionItems, messageRange } from './session-items.js';

/** Attribute set on messages copied by a fork, so a purge never mistakes a fork in progress for leftovers. */
export const COPIED_AT = 'copiedAt';

/**
 * `fork`: copies the source's messages (seq up to `uptoSeq`) page by page under a new
 * generation of the target, then writes the target's session item last, with a conditional put.
 * Until that put the copies are invisible (no session item points at their generation), so the
 * fork appears atomically, whatever its length. If the put loses to a concurrent create, the
 * copies are deleted and the call fails with `already_exists`.
 */
export async function fork(ctx: DriverContext, request: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>> {
  const { userId, sessionId, newSessionId: targetId, now } = request;
  const source = await ctx.table.getRecord(userId, sessionId);
  if (!source || !isLive(source, now)) return { failure: 'not_found' };
  const target = await ctx.table.getRecord(userId, targetId);
  if (target && isLive(target, now)) return { failure: 'already_exists' };
  const lastSeq = Math.min(request.uptoSeq ?? source.lastSeq, source.lastSeq);
  const metadata = forkMetadata(source.metadata, sessionId, lastSeq, request.patch);
  const bytes = utf8Length(JSON.stringify(metadata));
  if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };

  const gen = newGeneration();
  const copied = await copyMessages(ctx, source, targetId, gen, lastSeq, now);
  const record: SessionRecord = {
    userId,
    sessionId: targetId,
    gen,
    metadata,
    createdAt: now,
    updatedAt: now,
    expiresAt: source.ttlMs === null ? null : now + source.ttlMs,
    ttlMs: source.ttlMs,
    lastSeq,
    messageCount: copied,
    clearedUpTo: 0,
  };
  if (!(await putNewRecord(ctx.table, record, now))) {
    await deleteSessionItems(ctx.table, userId, targetId, (await ctx.table.getRecord(userId, targetId))?.gen ?? null);
    return { failure: 'already_exists' };
  }
  ctx.cache.remember(record);
  return toSessionInfo(record);
}

/** Copies the source's visible messages with seq up to `upto` under the target's generation; returns how many. */
async function copyMessages(ctx: DriverContext, source: SessionRecord, targetId: string, gen: string, upto: number, now: number): Promise<number> {
  const lower = source.clearedUpTo + 1;
  if (lower > upto) return 0;
  let copied = 0;
  // The copies take the target's (newest-first) layout, whatever the source's.
  const { oldestFirstForward: _, ...range } = messageRange(source.userId, source.sessionId, source.gen, lower, upto);
  const pages = ctx.table.queryAll(range);
  for await (const items of pages) {
    const copies: Item[] = items.map((item) => {
      const seq = Number(item['seq']?.N ?? 0);
      const copy = messageItem(source.userId, targetId, gen, seq, Number(item['createdAt']?.N ?? now), item['body']?.S ?? '{}');
      copy[COPIED_AT] = n(now);
      return copy;
    });
    await ctx.table.putItems(copies);
    copied += copies.length;
  }
  return copied;
}
