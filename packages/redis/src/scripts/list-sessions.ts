import { INDEX_ENTRY } from './index-entry.js';
import { LUA_INT, type RedisScript } from './script.js';

/**
 * One keyset page of a user's live sessions. The page starts at the rank right after the
 * cursor's position (updatedAt U, encoded id X): `ZRANK X + 1` when X still has score -U (the
 * usual case, O(log n)); otherwise the members with a score below -U (`ZCOUNT`, O(log n)) plus
 * the members tied at -U whose id sorts at or before X. It then walks ranks, skipping stale and
 * expired entries, until `want` live sessions are found. Read-only.
 *
 * KEYS: index. ARGV: now, base, cursor updatedAt ('' for the first page), cursor encoded id, want.
 * Returns `{ enc1, record fields 1, enc2, record fields 2, ... }`.
 */
export const listSessionsScript: RedisScript = {
  name: 'sessionsList',
  numberOfKeys: 1,
  lua: `${LUA_INT}${INDEX_ENTRY}
local I = KEYS[1]
local now, base, want = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[5])
local pos = 0
if ARGV[3] ~= '' then
  local score = -tonumber(ARGV[3])
  local x = ARGV[4]
  local current = redis.call('ZSCORE', I, x)
  if current and tonumber(current) == score then
    pos = redis.call('ZRANK', I, x) + 1
  else
    pos = redis.call('ZCOUNT', I, '-inf', '(' .. int(score))
    local ties = redis.call('ZRANGE', I, int(score), int(score), 'BYSCORE')
    for _, m in ipairs(ties) do
      if m <= x then pos = pos + 1 else break end
    end
  end
end
local out, found = {}, 0
while found < want do
  local batch = redis.call('ZRANGE', I, pos, pos + math.max(want - found, 16) - 1)
  if #batch == 0 then break end
  for _, enc in ipairs(batch) do
    if entry(base, enc, now) == 'live' then
      out[#out + 1] = enc
      out[#out + 1] = redis.call('HGETALL', base .. ':s:' .. enc)
      found = found + 1
      if found == want then break end
    end
  end
  pos = pos + #batch
end
return out
`,
};
