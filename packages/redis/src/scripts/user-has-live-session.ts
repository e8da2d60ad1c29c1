import { INDEX_ENTRY } from './index-entry.js';
import type { RedisScript } from './script.js';

/**
 * Whether a user has at least one live session (for `listUsers`): walks the index until it
 * finds one. Read-only. KEYS: index. ARGV: now, base. Returns 1 or 0.
 */
export const userHasLiveSessionScript: RedisScript = {
  name: 'sessionsUserHasLive',
  numberOfKeys: 1,
  lua: `${INDEX_ENTRY}
local I = KEYS[1]
local now, base = tonumber(ARGV[1]), ARGV[2]
local pos = 0
while true do
  local batch = redis.call('ZRANGE', I, pos, pos + 99)
  if #batch == 0 then return 0 end
  for _, enc in ipairs(batch) do
    if entry(base, enc, now) == 'live' then return 1 end
  end
  pos = pos + #batch
end
`,
};
