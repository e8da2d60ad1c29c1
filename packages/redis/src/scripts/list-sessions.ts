import { INDEX_ENTRY } from './index-entry.js';
import { PRELUDE, type RedisScript } from './script.js';

/**
 * One keyset page of a user's live sessions: walks the index from `start` (`-` or
 * `(<member>`) with `ZRANGE ... BYLEX LIMIT`, skipping stale and expired members, until `want`
 * live sessions are found. Read-only.
 *
 * KEYS: index. ARGV: now, base, start, want.
 * Returns `{ member1, record fields 1, member2, record fields 2, ... }`.
 */
export const listSessionsScript: RedisScript = {
  name: 'sessionsList',
  numberOfKeys: 1,
  lua: `${PRELUDE}${INDEX_ENTRY}
local I = KEYS[1]
local now, base, start, want = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local out, found = {}, 0
while found < want do
  local batch = redis.call('ZRANGE', I, start, '+', 'BYLEX', 'LIMIT', 0, math.max(want - found, 16))
  if #batch == 0 then break end
  for _, m in ipairs(batch) do
    local kind, S = entry(base, m, now)
    if kind == 'live' then
      out[#out + 1] = m
      out[#out + 1] = redis.call('HGETALL', S)
      found = found + 1
      if found == want then break end
    end
    start = '(' .. m
  end
end
return out
`,
};
