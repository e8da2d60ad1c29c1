import type { At } from '@sessions/core';
import type { RedisContext } from './context.js';
import { LUA_INDEX_ENTRY } from './lua.js';
import { scanSortedSets } from './scan.js';
import type { RedisScript } from './script.js';

/** The purge script's arguments, by name. */
interface PurgeArgs {
  now: number;
  /** `<prefix>{<user>}`. */
  base: string;
  /** The index rank to start from. */
  start: number;
  batchSize: number;
}

function argv(a: PurgeArgs): string[] {
  return [String(a.now), a.base, String(a.start), String(a.batchSize)];
}

/**
 * One batch of `purgeExpired` over one user's index: removes entries whose session Redis has
 * already expired and deletes sessions past their expiresAt by the store clock.
 * KEYS: index. Returns `{ sessions purged, rank to continue from, or -1 when the index is done }`.
 */
export const purgeScript: RedisScript = {
  name: 'sessionsPurgeIndex',
  numberOfKeys: 1,
  lua: `${LUA_INDEX_ENTRY}
local I = KEYS[1]
local now, base, start, size = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local batch = redis.call('ZRANGE', I, start, start + size - 1)
local purged = 0
for _, enc in ipairs(batch) do
  if entry(base, enc, now) ~= 'live' then
    dropSession(base, enc)
    redis.call('ZREM', I, enc)
    purged = purged + 1
  end
end
if #batch < size then return { purged, -1 } end
return { purged, start + size - purged }
`,
};

/** `purgeExpired`: SCAN of the listing indexes on every master, each walked in batches. */
export async function purgeExpired(ctx: RedisContext, request: { batchSize: number } & At): Promise<number> {
  let purged = 0;
  for await (const indexKey of scanSortedSets(ctx.client, ctx.keys.indexPattern())) {
    if (ctx.keys.userOfIndexKey(indexKey) === null) continue;
    // The base as the index key spells it, so the sessions found are exactly that index's.
    const base = indexKey.slice(0, -':i'.length);
    for (let start = 0; start >= 0; ) {
      const reply = await ctx.scripts.run<[number, number]>(purgeScript, [indexKey], argv({ now: request.now, base, start, batchSize: request.batchSize }));
      if (!Array.isArray(reply)) break;
      purged += reply[0];
      start = reply[1];
    }
  }
  return purged;
}
