import { LUA_INT, LUA_STATE, LUA_TOUCH, type RedisScript } from './script.js';

/**
 * Removes and returns the newest message (`ZPOPMAX`), recording the write; `nil` when the
 * session is missing, expired or empty. Atomic, so two pops never return the same message.
 * ARGV: now, enc, score.
 */
export const popMessageScript: RedisScript = {
  name: 'sessionsPop',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local st = state(S, now)
if not st or not st.live then return nil end
local popped = redis.call('ZPOPMAX', M)
if #popped == 0 then return nil end
touch(S, M, K, I, st.ttl, now, enc, score, { 'count', int(st.count - 1) })
return popped[1]
`,
};
