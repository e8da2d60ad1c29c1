import { INDEX_ENTRY } from './index-entry.js';
import { PRELUDE, type RedisScript } from './script.js';

/**
 * One batch of `purgeExpired` over one user's index: removes members whose session Redis has
 * expired, deletes sessions past their expiresAt by the client clock, and drops members left
 * behind by an older incarnation of a session id.
 *
 * KEYS: index. ARGV: now, base, start (`-` or `(<member>`), batch size.
 * Returns `{ sessions purged, last member walked or '' when the index is done }`.
 */
export const purgeIndexScript: RedisScript = {
  name: 'sessionsPurgeIndex',
  numberOfKeys: 1,
  lua: `${PRELUDE}${INDEX_ENTRY}
local I = KEYS[1]
local now, base = tonumber(ARGV[1]), ARGV[2]
local batch = redis.call('ZRANGE', I, ARGV[3], '+', 'BYLEX', 'LIMIT', 0, tonumber(ARGV[4]))
local purged = 0
for _, m in ipairs(batch) do
  local kind, S, enc = entry(base, m, now)
  if kind == 'expired' then
    dropSession(base, enc)
    redis.call('ZREM', I, m)
    purged = purged + 1
  elseif kind == 'stale' then
    if not redis.call('HGET', S, 'updatedAt') then purged = purged + 1 end
    redis.call('ZREM', I, m)
  end
end
if #batch < tonumber(ARGV[4]) then return { purged, '' } end
return { purged, batch[#batch] }
`,
};
