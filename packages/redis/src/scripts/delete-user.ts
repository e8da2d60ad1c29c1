import { INDEX_ENTRY } from './index-entry.js';
import { PRELUDE, type RedisScript } from './script.js';

/**
 * Deletes up to `batch` of a user's sessions (every key, and the index members). Called in a
 * loop so one huge user never blocks the server for long.
 *
 * KEYS: index. ARGV: now, base, batch size.
 * Returns `{ live sessions deleted, members left in the index }`.
 */
export const deleteUserScript: RedisScript = {
  name: 'sessionsDeleteUser',
  numberOfKeys: 1,
  lua: `${PRELUDE}${INDEX_ENTRY}
local I = KEYS[1]
local now, base = tonumber(ARGV[1]), ARGV[2]
local batch = redis.call('ZRANGE', I, 0, tonumber(ARGV[3]) - 1)
local deleted = 0
for _, m in ipairs(batch) do
  local kind, _, enc = entry(base, m, now)
  if kind == 'live' then deleted = deleted + 1 end
  if kind ~= 'stale' then dropSession(base, enc) end
  redis.call('ZREM', I, m)
end
return { deleted, redis.call('ZCARD', I) }
`,
};
