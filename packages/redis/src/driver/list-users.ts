import type { At } from '@sessions/core';
import type { RedisContext } from './context.js';
import { walkIndex } from './list.js';
import { scanSortedSets } from './scan.js';

/**
 * `listUsers`: SCAN of the listing indexes on every master; a user is yielded when the bounded
 * index walk of `list` finds one live session (it removes stale entries on the way).
 */
export async function* listUsers(ctx: RedisContext, request: At): AsyncIterable<string> {
  for await (const indexKey of scanSortedSets(ctx.client, ctx.keys.indexPattern())) {
    const user = ctx.keys.userOfIndexKey(indexKey);
    if (user === null) continue;
    if ((await walkIndex(ctx, user, null, 1, request.now)).length > 0) yield user;
  }
}
