import { INDEX_ENTRY } from './index-entry.js';
import type { RedisScript } from './script.js';

/**
 * Deletes up to `batch` of a user's sessions (every key, and the index entries). Called in a
 * loop so one huge user never blocks the server for long.
 *
 * KEYS: index. ARGV: now, base, batch size.
 * Returns `{ live sessions deleted, entries left in the index }`.
 */
export const deleteUserScript: RedisScript = {
  name: 'sessionsDeleteUser',
  numberOfKeys: 1,
  lua: `${INDEX_ENTRY}
local I = KEYS[1]
local now, base = tonumber(ARGV[1]), ARGV[2]
local batch = redis.call('ZRANGE', I, 0, tonumber(ARGV[3]) - 1)
local deleted = 0
for _, enc in ipairs(batch) do
  if entry(base, enc, now) == 'live' then deleted = deleted + 1 end
  dropSession(base, enc)
  redis.call('ZREM', I, enc)
end
return { deleted, redis.call('ZCARD', I) }
`,
};
