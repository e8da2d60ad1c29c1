import type { At } from '@sessions/core';
import type { RedisContext } from './context.js';
import { LUA_INDEX_ENTRY } from './lua.js';
import type { RedisScript } from './script.js';

/** Sessions deleted per script call, so one huge user never blocks the server for long. */
const DELETE_USER_BATCH = 500;

/** The delete-user script's arguments, by name. */
interface DeleteUserArgs {
  now: number;
  /** `<prefix>{<user>}`. */
  base: string;
  batch: number;
}

function argv(a: DeleteUserArgs): string[] {
  return [String(a.now), a.base, String(a.batch)];
}

/**
 * Deletes up to `batch` of a user's sessions (every key, and the index entries).
 * KEYS: index. Returns `{ live sessions deleted, entries left in the index }`.
 */
export const deleteUserScript: RedisScript = {
  name: 'sessionsDeleteUser',
  numberOfKeys: 1,
  lua: `${LUA_INDEX_ENTRY}
local I = KEYS[1]
local now, base, batchSize = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local batch = redis.call('ZRANGE', I, 0, batchSize - 1)
local deleted = 0
for _, enc in ipairs(batch) do
  if entry(base, enc, now) == 'live' then deleted = deleted + 1 end
  dropSession(base, enc)
  redis.call('ZREM', I, enc)
end
return { deleted, redis.call('ZCARD', I) }
`,
};

/** `deleteUser`: script calls of {@link DELETE_USER_BATCH} sessions until the index is empty. */
export async function deleteUser(ctx: RedisContext, request: { userId: string } & At): Promise<number> {
  const indexKey = ctx.keys.index(request.userId);
  const base = ctx.keys.userBase(request.userId);
  let deleted = 0;
  for (;;) {
    const reply = await ctx.scripts.run<[number, number]>(deleteUserScript, [indexKey], argv({ now: request.now, base, batch: DELETE_USER_BATCH }));
    if (!Array.isArray(reply)) return deleted;
    deleted += reply[0];
    if (reply[1] === 0) return deleted;
  }
}
