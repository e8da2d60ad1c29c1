import type { At } from '@sessions/core';
import { isLive, n, s, toSessionRecord, type Item } from '../marshal.js';
import type { DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { COPIED_AT } from './fork.js';
import { generationOfSk, keyOf } from './session-items.js';

/** Messages copied by a fork this recently are never taken for leftovers (the fork may still be running). */
const FORK_GRACE_MS = 15 * 60 * 1000;

/**
 * `purgeExpired` (an administrative call: one `Scan` of the table, 1 MB pages). Deletes every
 * expired session item, `batchSize` conditional deletes in flight at a time (each only if the
 * item is still the same expired incarnation), and in the same pass every message or
 * idempotency item that no live session item points at: those of the sessions just deleted,
 * and leftovers of sessions whose item native TTL removed first or that were created again
 * after expiring. Returns how many expired sessions were deleted.
 */
export async function purgeExpired(ctx: DriverContext, request: { batchSize: number } & At): Promise<number> {
  const { batchSize, now } = request;
  const owners = new Owners(ctx, now);
  let count = 0;
  const pages = ctx.table.scanAll({
    ProjectionExpression: '#PK, #SK, #type, #gen, #expiresAt, #copiedAt',
    ExpressionAttributeNames: { '#PK': 'PK', '#SK': 'SK', '#type': 'type', '#gen': 'gen', '#expiresAt': 'expiresAt', '#copiedAt': COPIED_AT },
    ConsistentRead: true,
  });
  for await (const items of pages) {
    const expired: Item[] = [];
    const others: Item[] = [];
    for (const item of items) {
      if (item['type']?.S === 'session') {
        const expiresAt = item['expiresAt']?.N;
        const isExpired = expiresAt !== undefined && Number(expiresAt) <= now;
        if (isExpired) expired.push(item);
        owners.seen(item['PK']?.S ?? '', item['SK']?.S ?? '', isExpired ? null : (item['gen']?.S ?? null));
      } else {
        others.push(item);
      }
    }
    for (let i = 0; i < expired.length; i += batchSize) {
      const deleted = await Promise.all(expired.slice(i, i + batchSize).map((item) => deleteIfExpired(ctx, item, now)));
      count += deleted.filter(Boolean).length;
    }
    const doomed: Item[] = [];
    for (const item of others) {
      const copiedAt = item[COPIED_AT]?.N;
      // A fork writes its messages before its session item: never take a recent copy for a leftover.
      if (copiedAt !== undefined && Number(copiedAt) > now - FORK_GRACE_MS) continue;
      if (await owners.isLeftover(item)) doomed.push(keyOf(item));
    }
    await ctx.table.deleteKeys(doomed);
  }
  return count;
}

/** Deletes a session item if it is still the expired incarnation the scan saw. */
async function deleteIfExpired(ctx: DriverContext, item: Item, now: number): Promise<boolean> {
  try {
    await ctx.table.delete({
      Key: keyOf(item),
      ConditionExpression: '#gen = :gen AND #expiresAt <= :now',
      ExpressionAttributeNames: { '#gen': 'gen', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':gen': item['gen'] ?? s(''), ':now': n(now) },
    });
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false; // written again meanwhile: no longer expired
    throw error;
  }
}

/** The live generation of each session the purge meets, from the scan itself or a fresh read. */
class Owners {
  private readonly known = new Map<string, string | null>();
  private readonly confirmed = new Set<string>();

  constructor(
    private readonly ctx: DriverContext,
    private readonly now: number,
  ) {}

  seen(pk: string, recordSk: string, liveGen: string | null): void {
    if (this.known.size >= 10_000) this.clear(); // bound memory; a re-read is only a cost
    this.known.set(`${pk}\u0000${recordSk}`, liveGen);
  }

  /** `true` when no live session item points at the item's generation, confirmed by a fresh read. */
  async isLeftover(item: Item): Promise<boolean> {
    const pk = item['PK']?.S ?? '';
    const sk = item['SK']?.S ?? '';
    const recordSk = sk.slice(0, sk.indexOf('#', 2));
    const owner = `${pk}\u0000${recordSk}`;
    const gen = generationOfSk(sk);
    if (this.known.has(owner) && this.known.get(owner) === gen) return false;
    // What the scan saw may be old by now (a session created again): read it before deleting.
    if (!this.confirmed.has(owner)) {
      const raw = await this.ctx.table.getItem({ PK: s(pk), SK: s(recordSk) });
      const record = raw ? toSessionRecord(raw) : null;
      this.seen(pk, recordSk, record && isLive(record, this.now) ? record.gen : null);
      this.confirmed.add(owner);
    }
    return this.known.get(owner) !== gen;
  }

  private clear(): void {
    this.known.clear();
    this.confirmed.clear();
  }
}
