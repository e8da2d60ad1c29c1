import { LUA_INT, LUA_STATE, LUA_TOUCH, type RedisScript } from './script.js';

/**
 * Removes every message of a live session and records the write; metadata, `lastSeq` and the
 * idempotency keys stay. A no-op for a missing or expired session. ARGV: now, enc, score.
 * Returns 1 when the session was live, else 0.
 */
export const clearSessionScript: RedisScript = {
  name: 'sessionsClear',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local st = state(S, now)
if not st or not st.live then return 0 end
redis.call('DEL', M)
touch(S, M, K, I, st.ttl, now, enc, score, { 'count', '0' })
return 1
`,
};
