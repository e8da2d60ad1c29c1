import { isSessionStoreError, type SessionStoreError } from '@sessions/core';
import { scanSortedSets } from './index-scan.js';
import type { KeySpace } from './keys.js';
import type { RedisClient } from './options.js';
import type { ScriptRunner } from './script-runner.js';
import { deleteUserScript, purgeIndexScript, userHasLiveSessionScript } from './scripts/index.js';

/** Sessions deleted per round trip by `deleteUser`. */
const DELETE_USER_BATCH = 500;

/** What the administrative calls need from the store. */
export interface AdminContext {
  client: RedisClient;
  keys: KeySpace;
  scripts: ScriptRunner;
  /** The store clock, in whole ms. */
  now(): number;
  /** Throws CLOSED once the store is closed. */
  open(): void;
  /** Maps a driver error to a `SessionStoreError`. */
  fail(error: unknown): SessionStoreError;
}

async function guarded<T>(ctx: AdminContext, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw isSessionStoreError(error) ? error : ctx.fail(error);
  }
}

/** `<prefix>{<user>}` of an index key: the base the scripts build session keys from. */
const baseOf = (indexKey: string) => indexKey.slice(0, -':i'.length);

/** Deletes every session of a user in batches; returns how many were live. */
export async function deleteUserSessions(ctx: AdminContext, userId: string): Promise<number> {
  const indexKey = ctx.keys.index(userId);
  let deleted = 0;
  for (;;) {
    ctx.open();
    const args = [String(ctx.now()), baseOf(indexKey), String(DELETE_USER_BATCH)];
    const [count, left] = await guarded(ctx, () => ctx.scripts.run<[number, number]>(deleteUserScript, [indexKey], args));
    deleted += count;
    if (left === 0) return deleted;
  }
}

/** Users with at least one live session: SCAN of the index keys on every master, each user checked by a script. */
export async function* liveUsers(ctx: AdminContext): AsyncIterable<string> {
  const indexes = scanSortedSets(ctx.client, ctx.keys.indexPattern())[Symbol.asyncIterator]();
  for (;;) {
    ctx.open();
    const next = await guarded(ctx, () => indexes.next());
    if (next.done) return;
    const user = ctx.keys.userOfIndexKey(next.value);
    if (user === null) continue;
    const args = [String(ctx.now()), baseOf(next.value)];
    const live = await guarded(ctx, () => ctx.scripts.run<number>(userHasLiveSessionScript, [next.value], args));
    if (live === 1) yield user;
  }
}

/** Removes expired sessions and index entries left by sessions Redis expired; returns how many. */
export async function purgeIndexes(ctx: AdminContext, batchSize: number): Promise<number> {
  let purged = 0;
  await guarded(ctx, async () => {
    for await (const indexKey of scanSortedSets(ctx.client, ctx.keys.indexPattern())) {
      if (ctx.keys.userOfIndexKey(indexKey) === null) continue;
      for (let start = 0; start >= 0; ) {
        ctx.open();
        const args = [String(ctx.now()), baseOf(indexKey), String(start), String(batchSize)];
        const [count, next] = await ctx.scripts.run<[number, number]>(purgeIndexScript, [indexKey], args);
        purged += count;
        start = next;
      }
    }
  });
  return purged;
}
