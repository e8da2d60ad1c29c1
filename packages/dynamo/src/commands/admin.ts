import type { JsonObject, PurgeExpiredOptions } from '@sessions/core';
import type { StoreContext } from '../context.js';
import { conditionFailed } from '../errors.js';
import { isLive, n, s, toSessionRecord, type Item } from '../marshal.js';
import { COPIED_AT } from './fork.js';
import { deleteSessionItems, generationOfSk, keyOf } from './session-items.js';

/** Messages copied by a fork this recently are never taken for leftovers (the fork may still be running). */
const FORK_GRACE_MS = 15 * 60 * 1000;

/** `listUsers`: a scan of the session items (an administrative call), each live session's user once. */
export async function* listUsers<M extends JsonObject>(ctx: StoreContext<M>): AsyncGenerator<string> {
  const seen = new Set<string>();
  const now = ctx.now();
  const pages = ctx.table.scanAll({
    FilterExpression: '#type = :session AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)',
    ExpressionAttributeNames: { '#type': 'type', '#expiresAt': 'expiresAt', '#userId': 'userId' },
    ExpressionAttributeValues: { ':session': s('session'), ':now': n(now) },
    ProjectionExpression: '#userId',
    ConsistentRead: true,
  });
  for await (const items of pages) {
    for (const item of items) {
      const userId = item['userId']?.S;
      if (userId !== undefined && !seen.has(userId)) {
        seen.add(userId);
        yield userId;
      }
    }
  }
}

/**
 * `purgeExpired` (an administrative call, a scan of the table): deletes every expired session
 * item (on the condition that it is still the same expired incarnation) and its items, then
 * sweeps leftovers: message and idempotency items whose session item is gone or belongs to
 * another generation (native TTL removed the session item first, or a session was created again
 * over an expired one). Returns how many expired sessions were deleted.
 */
export async function purgeExpired<M extends JsonObject>(ctx: StoreContext<M>, options: PurgeExpiredOptions = {}): Promise<number> {
  const batchSize = ctx.guard.batchSize(options.batchSize);
  const now = ctx.now();
  let count = 0;
  const expired = ctx.table.scanAll({
    FilterExpression: '#type = :session AND #expiresAt <= :now',
    ExpressionAttributeNames: { '#type': 'type', '#expiresAt': 'expiresAt' },
    ExpressionAttributeValues: { ':session': s('session'), ':now': n(now) },
    ConsistentRead: true,
    Limit: batchSize,
  });
  for await (const items of expired) {
    for (const item of items) {
      const record = toSessionRecord(item);
      try {
        await ctx.table.delete({
          Key: keyOf(item),
          ConditionExpression: '#gen = :gen AND #expiresAt <= :now',
          ExpressionAttributeNames: { '#gen': 'gen', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':gen': s(record.gen), ':now': n(now) },
        });
      } catch (error) {
        if (conditionFailed(error)) continue; // written again meanwhile: no longer expired
        throw error;
      }
      count++;
      const again = await ctx.table.getRecord(record.userId, record.sessionId);
      await deleteSessionItems(ctx.table, record.userId, record.sessionId, again?.gen ?? null);
    }
  }
  await sweepLeftovers(ctx, now, batchSize);
  return count;
}

/** Deletes message and idempotency items that no live session item points at. */
async function sweepLeftovers<M extends JsonObject>(ctx: StoreContext<M>, now: number, batchSize: number): Promise<void> {
  const owners = new Map<string, string | null>();
  const pages = ctx.table.scanAll({
    FilterExpression: '#type <> :session',
    ExpressionAttributeNames: { '#type': 'type', '#PK': 'PK', '#SK': 'SK', '#copiedAt': COPIED_AT },
    ExpressionAttributeValues: { ':session': s('session') },
    ProjectionExpression: '#PK, #SK, #copiedAt',
    ConsistentRead: true,
    Limit: batchSize,
  });
  for await (const items of pages) {
    const doomed: Item[] = [];
    for (const item of items) {
      const sk = item['SK']?.S ?? '';
      const copiedAt = item[COPIED_AT]?.N;
      if (copiedAt !== undefined && Number(copiedAt) > now - FORK_GRACE_MS) continue;
      const recordSk = sk.slice(0, sk.indexOf('#', 2));
      const owner = `${item['PK']?.S ?? ''}\u0000${recordSk}`;
      if (!owners.has(owner)) {
        const raw = await ctx.table.getItem({ PK: item['PK']!, SK: s(recordSk) });
        const record = raw ? toSessionRecord(raw) : null;
        if (owners.size >= 10_000) owners.clear(); // bound memory; a re-read is only a cost
        owners.set(owner, record && isLive(record, now) ? record.gen : null);
      }
      if (owners.get(owner) !== generationOfSk(sk)) doomed.push(keyOf(item));
    }
    await ctx.table.deleteKeys(doomed);
  }
}
