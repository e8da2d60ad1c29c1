import { INDEX_ENTRY } from './index-entry.js';
import type { RedisScript } from './script.js';

/**
 * One batch of `purgeExpired` over one user's index: removes entries whose session Redis has
 * already expired and deletes sessions past their expiresAt by the client clock.
 *
 * KEYS: index. ARGV: now, base, start rank, batch size.
 * Returns `{ sessions purged, rank to continue from, or -1 when the index is done }`.
 */
export const purgeIndexScript: RedisScript = {
  name: 'sessionsPurgeIndex',
  numberOfKeys: 1,
  lua: `${INDEX_ENTRY}
local I = KEYS[1]
local now, base, start, size = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local batch = redis.call('ZRANGE', I, start, start + size - 1)
local purged = 0
for _, enc in ipairs(batch) do
  local kind = entry(base, enc, now)
  if kind ~= 'live' then
    dropSession(base, enc)
    redis.call('ZREM', I, enc)
    purged = purged + 1
  end
end
if #batch < size then return { purged, -1 } end
return { purged, start + size - purged }
`,
};
